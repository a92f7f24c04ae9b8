"""fit / evaluate / predict: learning on real data, the logs, the modes, the errors."""

from __future__ import annotations

import numpy as np
import pytest
from train_testkit import Recorder, blobs, mlp, train

import neuronlab as nl
from neuronlab import metrics as M
from neuronlab.data import DataLoader, StandardScaler, TensorDataset, train_test_split
from neuronlab.train import Callback, LambdaCallback, evaluate, fit, predict


@pytest.fixture(scope="module")
def cancer():
    """scikit-learn's breast cancer set, standardized and split 75/25."""
    data = nl.data.load_breast_cancer()
    X_tr, X_te, y_tr, y_te = train_test_split(data.X, data.y, test_size=0.25, stratify=data.y,
                                              seed=0)  # fmt: skip
    scaler = StandardScaler().fit(X_tr)
    return scaler.transform(X_tr), scaler.transform(X_te), y_tr, y_te


def test_fit_learns_breast_cancer(cancer):
    X_tr, X_te, y_tr, y_te = cancer
    model = nl.nn.Sequential(nl.nn.Linear(30, 16), nl.nn.ReLU(), nl.nn.Linear(16, 2))
    nl.manual_seed(0)
    history = fit(model, nl.nn.CrossEntropyLoss(), nl.optim.Adam(model.parameters(), lr=0.01),
                  (X_tr, y_tr), val=(X_te, y_te), epochs=8, metrics=["accuracy", "f1"], seed=0,
                  verbose=False)  # fmt: skip
    assert list(history.history) == [
        "loss", "accuracy", "f1", "val_loss", "val_accuracy", "val_f1",
    ]  # fmt: skip
    assert history.epoch == list(range(8))
    assert all(len(v) == 8 for v in history.history.values())
    assert history.history["loss"][-1] < history.history["loss"][0] / 3
    assert history.history["val_accuracy"][-1] >= 0.95  # a logistic regression gets ~0.97
    # the last epoch's validation metrics are the metric functions on predict()'s output
    labels = predict(model, X_te).argmax(axis=1)
    assert history.history["val_accuracy"][-1] == pytest.approx(M.accuracy_score(y_te, labels))
    assert history.history["val_f1"][-1] == pytest.approx(M.f1_score(y_te, labels))
    scores = evaluate(model, nl.nn.CrossEntropyLoss(), (X_te, y_te), metrics=["accuracy", "auc"])
    assert scores["loss"] == pytest.approx(history.history["val_loss"][-1], rel=1e-5)
    logits = predict(model, X_te)
    p1 = np.exp(logits[:, 1]) / np.exp(logits).sum(axis=1)
    assert scores["auc"] == pytest.approx(M.roc_auc_score(y_te, p1))


def test_binary_logits_and_regression_metrics_match_the_functions():
    X, y = blobs(80)
    model = mlp(n_out=1)
    target = y.astype(np.float32)[:, None]
    fit(model, nl.nn.BCEWithLogitsLoss(), nl.optim.SGD(model.parameters(), lr=0.2), (X, target),
        epochs=2, verbose=False)  # fmt: skip
    logits = predict(model, X)
    got = evaluate(model, nl.nn.BCEWithLogitsLoss(), (X, target),
                   metrics=["acc", "precision", "recall", "auc"])  # fmt: skip
    labels = (logits[:, 0] >= 0).astype(int)  # logit >= 0  <=>  probability >= 0.5
    assert got["acc"] == pytest.approx(M.accuracy_score(y, labels))
    assert got["precision"] == pytest.approx(M.precision_score(y, labels))
    assert got["recall"] == pytest.approx(M.recall_score(y, labels))
    assert got["auc"] == pytest.approx(M.roc_auc_score(y, logits[:, 0]))
    got = evaluate(model, nl.nn.MSELoss(), (X, target), metrics=["mae", "rmse", "r2", M.r2_score])
    assert got["mae"] == pytest.approx(M.mean_absolute_error(target[:, 0], logits[:, 0]))
    assert got["rmse"] == pytest.approx(M.root_mean_squared_error(target, logits))
    assert got["r2"] == got["r2_score"] == pytest.approx(M.r2_score(target, logits))
    assert got["loss"] == pytest.approx(np.mean((logits - target) ** 2), rel=1e-5)


def test_streaming_metric_objects_and_multiclass_f1():
    X, _ = blobs(90)
    y3 = np.arange(90) % 3
    model = mlp(n_out=3)

    def top1(y_true, scores):  # functions and streaming objects get the raw outputs
        return M.accuracy_score(y_true, scores.argmax(axis=1))

    stream = M.Streaming(top1, name="top1_stream")
    got = evaluate(model, nl.nn.CrossEntropyLoss(), (X, y3), metrics=["f1", stream, top1],
                   batch_size=7)  # fmt: skip
    labels = predict(model, X).argmax(axis=1)
    assert got["f1"] == pytest.approx(M.f1_score(y3, labels, average="macro"))  # 3 classes
    assert got["top1"] == got["top1_stream"] == pytest.approx(M.accuracy_score(y3, labels))
    assert stream._true == []  # the caller's object is copied, not filled
    with pytest.raises(ValueError, match="distinct metric names"):
        evaluate(model, nl.nn.CrossEntropyLoss(), (X, y3), metrics=["f1", "f1"])


def test_batch_logs_carry_running_loss_and_accuracy():
    seen = []
    cb = LambdaCallback(on_train_batch_end=lambda batch, logs: seen.append(dict(logs)))
    history, _ = train(callbacks=[cb], epochs=1, val=False, metrics=["accuracy", "f1"])
    assert len(seen) == 6 and set(seen[0]) == {"loss", "accuracy"}
    assert seen[-1]["loss"] == pytest.approx(history.history["loss"][0])
    assert seen[-1]["accuracy"] == pytest.approx(history.history["accuracy"][0])


def test_hooks_are_called_in_keras_order():
    recorder = Recorder()
    train(callbacks=[recorder], epochs=2)
    calls = recorder.calls
    assert calls[0] == ("on_train_begin", None) and calls[-1] == ("on_train_end", None)
    epoch0 = calls[1 : calls.index(("on_epoch_end", 0)) + 1]
    assert epoch0[0] == ("on_epoch_begin", 0)
    batches = [c for c in epoch0 if c[0].startswith("on_train_batch")]
    assert batches[:4] == [("on_train_batch_begin", 0), ("on_train_batch_end", 0),
                           ("on_train_batch_begin", 1), ("on_train_batch_end", 1)]  # fmt: skip
    assert len(batches) == 12  # 96 samples / batch_size 16, begin and end
    tests = [c[0] for c in epoch0 if "test" in c[0]]
    assert tests[0] == "on_test_begin" and tests[-1] == "on_test_end" and len(tests) == 2 + 2 * 3
    assert ("on_epoch_begin", 1) in calls and calls.count(("on_train_end", None)) == 1


def test_stop_training_flag_on_the_context():
    class StopAfterTwoBatches(Callback):
        def on_train_batch_end(self, batch, logs=None):
            if batch == 1:
                self.context.stop_training = True

    recorder = Recorder()
    history, _ = train(callbacks=[StopAfterTwoBatches(), recorder], epochs=5)
    assert history.epoch == [0]  # the epoch still ends (validation, on_epoch_end), then stop
    assert sum(1 for c in recorder.calls if c[0] == "on_train_batch_end") == 2
    assert not hasattr(nl.nn.Module(), "stop_training")


def test_callbacks_see_model_optimizer_and_params():
    seen = {}

    class Look(Callback):
        def on_train_begin(self, logs=None):
            seen.update(model=self.model, optimizer=self.optimizer, params=dict(self.params))

    model = mlp()
    history, _ = train(model, callbacks=[Look()], epochs=3, metrics=["accuracy"])
    assert seen["model"] is model and seen["optimizer"] is not None
    assert seen["params"]["epochs"] == 3 and seen["params"]["steps"] == 6
    assert seen["params"]["metrics"] == ["loss", "accuracy", "val_loss", "val_accuracy"]
    assert seen["params"]["metrics"] == list(history.history)


@pytest.mark.parametrize("start_in_training", [True, False])
def test_modes_are_restored(start_in_training):
    X, y = blobs(32)
    model = mlp(dropout=0.5)
    model.train(start_in_training)
    modes = []
    cb = LambdaCallback(
        on_train_batch_begin=lambda b, logs: modes.append(("train", model[2].training)),
        on_test_batch_begin=lambda b, logs: modes.append(("test", model[2].training)),
    )
    fit(model, nl.nn.CrossEntropyLoss(), nl.optim.SGD(model.parameters(), lr=0.1), (X, y),
        val=(X, y), epochs=1, callbacks=[cb], verbose=False)  # fmt: skip
    assert ("train", True) in modes and ("test", False) in modes
    assert model.training is start_in_training and model[2].training is start_in_training
    evaluate(model, nl.nn.CrossEntropyLoss(), (X, y))
    assert model[2].training is start_in_training
    out1, out2 = predict(model, X), predict(model, X)
    np.testing.assert_array_equal(out1, out2)  # dropout was off
    assert model[2].training is start_in_training


def test_evaluate_and_predict_run_without_gradients():
    X, y = blobs(32)
    model = mlp()
    grad_modes = []
    model.register_forward_hook(lambda m, i, o: grad_modes.append(o.requires_grad))
    evaluate(model, nl.nn.CrossEntropyLoss(), (X, y), batch_size=10)
    predict(model, nl.tensor(X), batch_size=10)
    assert grad_modes == [False] * 8
    assert all(p.grad is None for p in model.parameters())


def test_predict_accepts_arrays_tensors_datasets_and_loaders():
    X, y = blobs(20)
    model = mlp()
    expected = predict(model, X)
    assert expected.shape == (20, 2) and expected.dtype == np.float32
    for data in (nl.tensor(X), X.tolist(), TensorDataset(X, y), DataLoader((X, y), batch_size=3)):
        np.testing.assert_allclose(predict(model, data, batch_size=7), expected, rtol=1e-6)


def test_data_can_be_a_dataset_or_a_loader():
    X, y = blobs()
    h1, _ = train(val=False, epochs=2)
    model = mlp()
    h2 = fit(
        model,
        nl.nn.CrossEntropyLoss(),
        nl.optim.SGD(model.parameters(), lr=0.1),
        DataLoader((X, y), batch_size=16, shuffle=True, seed=0),
        epochs=2,
        verbose=False,
    )
    model = mlp()
    h3 = fit(
        model,
        nl.nn.CrossEntropyLoss(),
        nl.optim.SGD(model.parameters(), lr=0.1),
        TensorDataset(X, y),
        batch_size=16,
        epochs=2,
        seed=0,
        verbose=False,
    )
    assert h1.history == h2.history == h3.history


def test_same_seed_same_history_other_seed_other_history():
    def run(seed):
        model = mlp(dropout=0.3)
        X, y = blobs()
        return fit(model, nl.nn.CrossEntropyLoss(), nl.optim.SGD(model.parameters(), lr=0.1),
                   (X, y), val=blobs(48, 1), epochs=3, batch_size=16, seed=seed,
                   metrics=["accuracy"], verbose=False).history  # fmt: skip

    assert run(0) == run(0)
    assert run(0) != run(1)


def test_scheduler_is_stepped_once_per_epoch_and_logs_lr():
    model = mlp()
    optimizer = nl.optim.SGD(model.parameters(), lr=0.1)
    scheduler = nl.optim.lr_scheduler.StepLR(optimizer, step_size=2, gamma=0.5)
    X, y = blobs()
    history = fit(model, nl.nn.CrossEntropyLoss(), optimizer, (X, y), epochs=5,
                  scheduler=scheduler, verbose=False)  # fmt: skip
    assert history.history["lr"] == pytest.approx([0.1, 0.1, 0.05, 0.05, 0.025])


def test_reduce_on_plateau_scheduler_gets_the_val_loss():
    seen = []

    class Recording(nl.optim.lr_scheduler.ReduceLROnPlateau):
        def step(self, metrics):
            seen.append(metrics)
            super().step(metrics)

    model = mlp()
    optimizer = nl.optim.SGD(model.parameters(), lr=0.1)
    X, y = blobs()
    history = fit(model, nl.nn.CrossEntropyLoss(), optimizer, (X, y), val=blobs(48, 1),
                  epochs=3, scheduler=Recording(optimizer), verbose=False)  # fmt: skip
    assert seen == history.history["val_loss"]
    other = nl.optim.SGD(mlp().parameters(), lr=0.1)
    with pytest.raises(ValueError, match="scheduler built on the optimizer"):
        fit(model, nl.nn.CrossEntropyLoss(), optimizer, (X, y),
            scheduler=nl.optim.lr_scheduler.StepLR(other, 1), verbose=False)  # fmt: skip


# ----- bad input ---------------------------------------------------------------------------------
def _fit(data, loss_fn=None, model=None, **kwargs):
    model = mlp() if model is None else model
    loss_fn = nl.nn.CrossEntropyLoss() if loss_fn is None else loss_fn
    kwargs.setdefault("verbose", False)
    return fit(model, loss_fn, nl.optim.SGD(model.parameters(), lr=0.1), data, **kwargs)


@pytest.mark.parametrize("name, value, error", [
    ("epochs", 0, ValueError), ("epochs", -3, ValueError), ("epochs", 2.5, TypeError),
    ("batch_size", 0, ValueError), ("batch_size", -1, ValueError), ("batch_size", "32", TypeError),
])  # fmt: skip
def test_epochs_and_batch_size_must_be_positive(name, value, error):
    with pytest.raises(
        error, match=rf"fit\({name}=\.\.\.\) · expected a positive int .*pass e\.g\."
    ):
        _fit(blobs(), **{name: value})


def test_empty_or_malformed_data_is_a_clear_error():
    X, y = blobs()
    with pytest.raises(ValueError, match=r"fit\(train\) · expected at least one batch.*0 samples"):
        _fit((X[:0], y[:0]))
    with pytest.raises(ValueError, match="drop_last=True with 5 samples and batch_size=16"):
        _fit(DataLoader((X[:5], y[:5]), batch_size=16, drop_last=True))
    with pytest.raises(TypeError, match=r"single ndarray of shape \(96, 4\).*\(X, y\)"):
        _fit(X)
    with pytest.raises(ValueError, match="a tuple of 3 items"):
        _fit((X, y, y))
    with pytest.raises(ValueError, match=r"fit\(val\) · expected at least one batch"):
        _fit((X, y), val=(X[:0], y[:0]))
    with pytest.raises(ValueError, match="the same first dimension"):
        _fit((X, y[:10]))
    with pytest.raises(ValueError, match="known metric name.*accuracy, auc"):
        _fit((X, y), metrics=["acuracy"])
    with pytest.raises(TypeError, match="Callback instances.*LambdaCallback"):
        _fit((X, y), callbacks=[lambda: None])


def test_loss_errors_about_labels_reach_the_user_unchanged():
    X, y = blobs()
    with pytest.raises(TypeError, match=r"CrossEntropyLoss.*expected class indices as integers"):
        _fit((X, y.astype(np.float32)))
    with pytest.raises(ValueError, match=r"MSELoss.*\(32, 2\).*\(32,\).*same shape"):
        _fit((X, y.astype(np.float32)), loss_fn=nl.nn.MSELoss())
    with pytest.raises(ValueError, match="out of range for 2 classes"):
        _fit((X, y + 3))


def test_a_nan_loss_without_terminate_on_nan_warns_at_epoch_end():
    from train_testkit import PoisonAt

    with pytest.warns(RuntimeWarning, match=r"not finite.*epoch 2, first at step 3 of 6") as rec:
        history, _ = train(callbacks=[PoisonAt(1, 2)], epochs=3, metrics=["accuracy"])
    assert len([w for w in rec if "not finite" in str(w.message)]) == 1  # once per run
    assert history.epoch == [0, 1, 2]  # training went on
    assert np.isnan(history.history["loss"][1]) and np.isnan(history.history["accuracy"][1])
    assert "clip_grad_norm_" in str(rec[0].message)
