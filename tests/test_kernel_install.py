"""`java -jar gpupoor.jar install`: where the kernelspec goes, what it holds, and its errors."""
import json
import os
import struct
import subprocess
from pathlib import Path

import pytest

from conftest import JAR


def install(*args, env=None):
    full = {k: v for k, v in os.environ.items() if k not in ("JUPYTER_DATA_DIR", "VIRTUAL_ENV", "CONDA_PREFIX")}
    full.update(env or {})
    return subprocess.run(["java", "-jar", str(JAR), "install", *args], capture_output=True, text=True,
                          timeout=300, env=full)


def png_size(path):
    data = Path(path).read_bytes()
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    return struct.unpack(">II", data[16:24])


def test_install_writes_a_complete_kernelspec(tmp_path):
    r = install("--prefix", str(tmp_path), "--name", "Other-Kernel", "--no-cds")
    assert r.returncode == 0, r.stderr
    spec_dir = tmp_path / "share" / "jupyter" / "kernels" / "other-kernel"
    assert str(spec_dir) in r.stdout
    assert sorted(p.name for p in spec_dir.iterdir()) == ["gpupoor.jar", "kernel.json", "logo-32x32.png", "logo-64x64.png"]
    assert (spec_dir / "gpupoor.jar").stat().st_size == JAR.stat().st_size
    assert png_size(spec_dir / "logo-32x32.png") == (32, 32)
    assert png_size(spec_dir / "logo-64x64.png") == (64, 64)
    spec = json.loads((spec_dir / "kernel.json").read_text())
    java = Path(spec["argv"][0])
    assert java.is_absolute() and java.name == "java" and java.is_file()
    assert spec["argv"][-4:] == ["-cp", "{resource_dir}/gpupoor.jar", "gpupoor.kernel.Kernel", "{connection_file}"]
    assert {"-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Djava.awt.headless=true"} <= set(spec["argv"])
    assert spec["interrupt_mode"] == "message"
    assert spec["language"] == "java"
    assert spec["display_name"] == "Java (gpu_poor, other-kernel)"


def test_user_install_honours_jupyter_data_dir_then_xdg(tmp_path):
    r = install("--user", "--no-cds", env={"JUPYTER_DATA_DIR": str(tmp_path / "jd")})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "jd" / "kernels" / "gpupoor" / "kernel.json").is_file()
    r = install("--no-cds", env={"XDG_DATA_HOME": str(tmp_path / "xdg"), "HOME": str(tmp_path / "home")})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "xdg" / "jupyter" / "kernels" / "gpupoor" / "kernel.json").is_file()


def test_sys_prefix_installs_into_the_active_environment(tmp_path):
    r = install("--sys-prefix", "--no-cds", env={"VIRTUAL_ENV": str(tmp_path / "venv")})
    assert r.returncode == 0, r.stderr
    assert (tmp_path / "venv" / "share" / "jupyter" / "kernels" / "gpupoor" / "kernel.json").is_file()
    r = install("--sys-prefix", "--no-cds")
    assert r.returncode == 2
    assert r.stderr.startswith("error: --sys-prefix needs an active Python environment")


@pytest.mark.parametrize("args, message", [
    (["--name", "bad name!"], "error: invalid kernel name 'bad name!'"),
    (["--user", "--prefix", "/tmp/x"], "mutually exclusive"),
])
def test_bad_arguments_are_clear_errors(tmp_path, args, message):
    r = install(*args, "--no-cds", env={"JUPYTER_DATA_DIR": str(tmp_path)})
    assert r.returncode == 2
    assert message in r.stderr
    assert "Exception" not in r.stderr


def test_installed_kernel_uses_its_appcds_archive(kernel_spec):
    """The kernelspec the tests run (installed by test.sh or conftest) carries an archive the JVM accepts."""
    archive = Path(kernel_spec.resource_dir) / "gpupoor.jsa"
    assert archive.is_file()
    argv = [a.replace("{resource_dir}", kernel_spec.resource_dir) for a in kernel_spec.argv]
    assert f"-XX:SharedArchiveFile={archive}" in argv
    # -Xshare:on makes the JVM fail instead of silently ignoring an archive that does not match.
    jvm = [a if a != "-Xshare:auto" else "-Xshare:on" for a in argv[:argv.index("-cp") + 2]]
    r = subprocess.run(jvm + ["gpupoor.cli.Main", "--version"], capture_output=True, text=True, timeout=60)
    assert r.returncode == 0, r.stdout + r.stderr
    assert r.stdout.strip() == "gpupoor 0.1.0"
