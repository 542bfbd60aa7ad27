"""Reports the partnerships and the local authority send outside the dashboard (R24)."""
