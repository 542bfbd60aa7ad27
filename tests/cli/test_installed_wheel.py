"""The package installs as a normal wheel and serves as the checkout does (issue 14).

The wheel is built as ``pip install .`` would build it (an isolated build, which fetches the
build backend from the package index: without one the test skips, saying so) and installed
into a new virtual environment outside the checkout. That environment sees the project's
dependencies (Streamlit, SQLAlchemy…) through a ``.pth`` line naming the current environment's
site-packages, but not the checkout: the editable install's own ``.pth`` files are not read
from there, so ``seips_core``, ``dashboard`` and ``pages`` can only come from the wheel.
``seips serve --demo`` then runs from an empty folder with an empty home folder, and the test
reads what the served app says to a browser on connecting (Streamlit's first message): the
theme, the toolbar and the usage statistics setting of ``dashboard/.streamlit/config.toml``.
"""

import os
import signal
import site
import subprocess
import sys
import tomllib
from collections.abc import Iterator
from pathlib import Path

import pytest
from serving import free_port, wait_until_healthy

ROOT = Path(__file__).resolve().parents[2]
START_SECONDS = 240  # serve fills the empty store with the sample county first
#: What pip says when it cannot reach a package index for the build backend.
NO_INDEX = ("No matching distribution", "Could not find a version", "NewConnectionError")


def _wheel(folder: Path) -> Path:
    """The project built as a wheel (isolated, no dependencies), or a skip without an index."""
    build = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", str(ROOT), "--no-deps", "-w", str(folder)],
        capture_output=True,
        text=True,
    )
    if build.returncode != 0 and any(sign in build.stderr for sign in NO_INDEX):
        pytest.skip(f"pip cannot reach a package index to build the wheel: {build.stderr[-300:]}")
    assert build.returncode == 0, build.stderr
    (wheel,) = folder.glob("seips_dashboard-*.whl")
    return wheel


@pytest.fixture(scope="module")
def installed(tmp_path_factory) -> Path:
    """A new virtual environment holding the wheel alone (its ``bin`` folder), the project's
    dependencies borrowed from the current environment."""
    folder = tmp_path_factory.mktemp("wheel")
    wheel = _wheel(folder)
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    (packages,) = venv.glob("lib/python*/site-packages")
    (packages / "dependencies.pth").write_text(
        "\n".join(p for p in site.getsitepackages() if Path(p).is_dir()) + "\n"
    )
    subprocess.run(
        [sys.executable, "-m", "pip", "--python", str(venv / "bin" / "python"), "install",
         "--no-deps", "--no-index", "--quiet", str(wheel)],
        check=True,
    )  # fmt: skip
    return venv / "bin"


def _clean_env(home: Path) -> dict[str, str]:
    """The environment of a user with nothing set: no store, no checkout on the path, no
    Streamlit settings of their own (an empty home folder)."""
    env = {name: value for name, value in os.environ.items()
           if not name.startswith(("SEIPS_", "STREAMLIT_", "PYTHON", "VIRTUAL_ENV"))}  # fmt: skip
    return {**env, "HOME": str(home)}


def test_the_wheel_carries_the_app_its_settings_and_migrations(installed):
    where = subprocess.run(
        [str(installed / "python"), "-c",
         "import dashboard, pages, seips_core; print(dashboard.__file__);"
         "print(*pages.__path__); print(seips_core.__file__)"],
        capture_output=True, text=True, check=True, cwd=installed, env=_clean_env(installed),
    ).stdout.split()  # fmt: skip
    packages = installed.parent / "lib"
    assert all(Path(path).is_relative_to(packages) for path in where), where
    dashboard = Path(where[0]).parent
    for needed in (".streamlit/config.toml", "app.py", "static/favicon.png"):
        assert (dashboard / needed).is_file(), needed
    assert (Path(where[1]) / "projector.py").is_file()
    assert list((Path(where[2]).parent / "migrations" / "versions").glob("*.py"))


@pytest.fixture
def served(installed, tmp_path) -> Iterator[tuple[str, subprocess.Popen]]:
    """``seips serve --demo`` of the installed wheel from an empty folder, on a free port."""
    folder, home = tmp_path / "county", tmp_path / "home"
    folder.mkdir()
    home.mkdir()
    port = free_port()
    log = tmp_path / "serve.log"
    with log.open("w") as output:
        server = subprocess.Popen(
            [str(installed / "seips"), "serve", "--demo", "--port", str(port)],
            cwd=folder,
            env=_clean_env(home),
            stdout=output,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    url = f"http://127.0.0.1:{port}"
    try:
        wait_until_healthy(url, server, log, START_SECONDS)
        yield url, folder
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)


def first_message(url: str):
    """What the served app tells a new browser session first (Streamlit's ``new_session``):
    the settings it runs with and its theme."""
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg
    from websockets.sync.client import connect

    stream = url.replace("http://", "ws://") + "/_stcore/stream"
    with connect(stream, subprotocols=["streamlit"], open_timeout=10) as socket:
        ask = BackMsg()
        ask.rerun_script.query_string = ""
        socket.send(ask.SerializeToString())
        while True:
            message = ForwardMsg()
            message.ParseFromString(socket.recv(timeout=30))
            if message.WhichOneof("type") == "new_session":
                return message.new_session


def test_the_installed_wheel_serves_the_demo_from_an_empty_folder_with_its_settings(
    installed, served
):
    from streamlit.proto.NewSession_pb2 import Config

    url, folder = served
    assert (folder / "seips.db").is_file(), "the store is ./seips.db of the folder served from"
    settings = tomllib.loads((ROOT / "dashboard" / ".streamlit" / "config.toml").read_text())
    session = first_message(url)
    assert session.config.toolbar_mode == Config.ToolbarMode.Value(
        settings["client"]["toolbarMode"].upper()
    )
    assert session.config.gather_usage_stats is settings["browser"]["gatherUsageStats"] is False
    theme = session.custom_theme
    assert theme.primary_color == settings["theme"]["primaryColor"]
    assert theme.base_font_size == settings["theme"]["baseFontSize"]
    assert theme.text_color == settings["theme"]["textColor"]


def test_the_installed_doctor_finds_the_apps_error_setting_in_the_wheel(installed, tmp_path):
    home = tmp_path / "home"
    home.mkdir()
    doctor = subprocess.run(
        [str(installed / "seips"), "doctor"],
        capture_output=True, text=True, cwd=tmp_path,
        env={**_clean_env(home), "COLUMNS": "1000"},
    )  # fmt: skip
    assert doctor.returncode == 1, doctor.stdout  # no store in an empty folder
    assert "No store at" in doctor.stdout
    (details,) = [line for line in doctor.stdout.splitlines() if "Error details" in line]
    assert "OK" in details
    assert f'is "none" ({installed.parent / "lib"}' in details
