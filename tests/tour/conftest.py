"""Fixtures the chapter tests share."""

import pytest


@pytest.fixture
def one_blas_thread():
    """One BLAS thread while a chapter test runs: its matrices are tiny, and on two shared cores
    extra BLAS threads only fight over them. Modules opt in with
    ``pytestmark = pytest.mark.usefixtures("one_blas_thread")``."""
    from threadpoolctl import threadpool_limits

    with threadpool_limits(1):
        yield
