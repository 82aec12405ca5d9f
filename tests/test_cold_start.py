"""What the first command of a new user imports (issue 11 item 4: cold `scorecard iv`)."""

import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest
from scipy import stats

from scorecard.stats.inference import no_difference_test

GERMAN = Path(__file__).resolve().parents[1] / "data" / "german_credit.csv"


def test_iv_command_imports_neither_scipy_stats_nor_optimize_nor_sklearn_nor_xgboost():
    code = (
        "import sys\n"
        "from scorecard.cli import main\n"
        f"sys.argv = ['scorecard', 'iv', {str(GERMAN)!r}, '--target', 'credit_risk']\n"
        "try:\n    main()\nexcept SystemExit as exit:\n    assert not exit.code, exit.code\n"
        "heavy = ('scipy.stats', 'scipy.optimize', 'sklearn', 'xgboost')\n"
        "print('LOADED', [m for m in heavy if m in sys.modules])\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True,
                          timeout=600)
    assert done.returncode == 0, done.stderr
    assert "LOADED []" in done.stdout, done.stdout[-500:]


@pytest.mark.parametrize("df", [1, 2, 5, 19, 199])
def test_no_difference_critical_value_is_scipy_chi2_ppf_exactly(df):
    for alpha in (0.001, 0.01, 0.05, 0.1, 0.5):
        test = no_difference_test(1.0, df, alpha)
        assert test.critical == float(stats.chi2.ppf(1.0 - alpha, df))
    assert np.isfinite(test.p_value)
