"""The smoke mode CI runs against the built bundle works from the source tree too."""

import subprocess
import sys


def test_self_test_opens_the_demo_ledger_and_exports():
    result = subprocess.run([sys.executable, "-m", "desktop_app", "--self-test"], capture_output=True,
                            text=True, encoding="utf-8", timeout=120)
    assert result.returncode == 0, result.stderr
    assert "共7大类42项" in result.stdout  # the demo opens on its biggest batch
    assert "7大类42项" in result.stdout and "统计" in result.stdout
    assert result.stdout.strip().endswith("自检通过")
