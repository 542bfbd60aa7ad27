"""Import and export in the co-ordinator's formats: a folder of CSV files or an Excel workbook.

``import_path`` adds every row or none (``ImportRefused`` lists every problem by file, row and
column); ``export_path`` writes the store back out in the same formats.
"""

from .exporter import export_path
from .importer import import_path
from .problems import ImportRefused, Problem

__all__ = ["ImportRefused", "Problem", "export_path", "import_path"]
