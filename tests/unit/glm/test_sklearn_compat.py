"""scikit-learn compatibility of the GLM estimators: clone, GridSearchCV with BlockedKFold, cross_val_score,
and scikit-learn's own estimator checks (those that apply to count models)."""

from __future__ import annotations

import subprocess
import sys
import warnings

import numpy as np
import pytest

from spikestats.glm import BernoulliGLM, BlockedKFold, PoissonGLM

sklearn = pytest.importorskip("sklearn", reason="scikit-learn is not importable")
from sklearn.base import clone, is_regressor  # noqa: E402
from sklearn.model_selection import GridSearchCV, cross_val_score  # noqa: E402
from sklearn.utils.estimator_checks import parametrize_with_checks  # noqa: E402

pytestmark = pytest.mark.filterwarnings("ignore:Estimator .* does not inherit from:UserWarning")

#: scikit-learn checks that feed targets a count model must refuse, or that expect a different convention
COUNT_MODEL_EXPECTED_FAILURES = {
    "check_regressors_train": "continuous, negative targets: y must be spike counts",
    "check_regressor_data_not_an_array": "continuous, negative targets: y must be spike counts",
    "check_regressors_no_decision_function": "continuous, negative targets: y must be spike counts",
    "check_fit_idempotent": "continuous, negative targets: y must be spike counts",
    "check_fit_check_is_fitted": "continuous, negative targets: y must be spike counts",
    "check_n_features_in": "continuous, negative targets: y must be spike counts",
    "check_n_features_in_after_fitting": "continuous, negative targets: y must be spike counts",
    "check_supervised_y_2d": "counts are one column; a 2-d y is refused, not raveled with a warning",
    "check_fit2d_1sample": "one bin cannot identify an unpenalised model: rank-deficiency error",
    "check_sample_weight_equivalence_on_dense_data": "zero weights leave fewer bins than parameters: "
                                                     "rank-deficiency error for an unpenalised fit",
    "check_estimators_empty_data_messages": "zero columns is the intercept-only (homogeneous) model",
    "check_complex_data": "house rule: the wrong kind of array is a TypeError",
    "check_dtype_object": "house error message for object arrays",
}


def _counts(n=2000, seed=0, p=3):
    rng = np.random.default_rng(seed)
    X = rng.normal(size=(n, p)) * 0.5
    y = rng.poisson(np.exp(-0.5 + X @ np.linspace(0.5, -0.5, p)))
    return X, y


def test_import_does_not_load_sklearn():
    code = "import sys, spikestats.glm as g; g.PoissonGLM().get_params(); print('sklearn' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.strip() == "False"


def test_clone_and_tags():
    m = PoissonGLM(alpha=0.3, l1_ratio=0.5, cov_type="sandwich")
    c = clone(m)
    assert c is not m and c.get_params() == m.get_params()
    assert is_regressor(m) and is_regressor(BernoulliGLM())
    X, y = _counts()
    fitted = m.fit(X, y)
    assert not hasattr(clone(fitted), "coef_")


def test_not_fitted_error_is_sklearns_too():
    from sklearn.exceptions import NotFittedError as SkNotFitted

    from spikestats.exceptions import NotFittedError
    with pytest.raises(SkNotFitted) as info:
        PoissonGLM().predict(np.zeros((2, 3)))
    assert isinstance(info.value, NotFittedError)


def test_grid_search_over_alpha_with_blocked_folds():
    X, y = _counts(3000, p=8)
    search = GridSearchCV(PoissonGLM(), {"alpha": [1e-4, 1e-2, 1.0]}, cv=BlockedKFold(3, gap=2))
    search.fit(X, y)
    assert search.best_params_["alpha"] in (1e-4, 1e-2)  # real effects: the heaviest penalty loses
    assert np.all(np.isfinite(search.cv_results_["mean_test_score"]))
    assert search.best_estimator_.coef_.shape == (8,)


def test_cross_val_score_matches_our_cross_validate():
    from spikestats.glm import cross_validate

    X, y = _counts()
    theirs = cross_val_score(PoissonGLM(), X, y, cv=BlockedKFold(4))
    ours = cross_validate(PoissonGLM(), X, y, n_splits=4)
    np.testing.assert_allclose(theirs, ours.scores, rtol=1e-12)
    yb = np.minimum(y, 1)
    assert np.all(np.isfinite(cross_val_score(BernoulliGLM(link="cloglog"), X, yb, cv=BlockedKFold(3))))


with warnings.catch_warnings():  # collecting the checks warns that PoissonGLM is not a BaseEstimator (on purpose)
    warnings.filterwarnings("ignore", "Estimator .* does not inherit from", UserWarning)
    _checks = parametrize_with_checks([PoissonGLM()],
                                      expected_failed_checks=lambda est: COUNT_MODEL_EXPECTED_FAILURES)


@_checks
def test_sklearn_estimator_checks(estimator, check):
    check(estimator)
