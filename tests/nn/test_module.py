"""The ``Module`` API: registration, walking the tree, state_dict, hooks, modes, repr, summary."""

from __future__ import annotations

import copy
import pickle

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = nn.Parameter(np.ones(3, dtype=np.float32))
        self.body = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 3))
        self.head = nn.Linear(3, 2)
        self.register_buffer("steps", nl.zeros(1))
        self.note = "not registered"

    def forward(self, x):
        return self.head(self.body(x) * self.scale)


class TorchNet(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.scale = torch.nn.Parameter(torch.ones(3))
        self.body = torch.nn.Sequential(
            torch.nn.Linear(4, 3), torch.nn.ReLU(), torch.nn.Linear(3, 3)
        )
        self.head = torch.nn.Linear(3, 2)
        self.register_buffer("steps", torch.zeros(1))


# ----- registration and walking -----------------------------------------------------------------


@pytest.mark.torch
def test_names_and_order_match_pytorch():
    ours, theirs = Net(), TorchNet()
    assert [n for n, _ in ours.named_parameters()] == [n for n, _ in theirs.named_parameters()]
    assert list(ours.state_dict()) == list(theirs.state_dict())
    assert [n for n, _ in ours.named_modules()] == [n for n, _ in theirs.named_modules()]
    assert [n for n, _ in ours.named_children()] == [n for n, _ in theirs.named_children()]
    assert [n for n, _ in ours.named_buffers()] == [n for n, _ in theirs.named_buffers()]
    assert [n for n, _ in ours.named_parameters(recurse=False)] == ["scale"]
    seq = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Sequential(nn.Linear(2, 2), nn.Tanh()))
    tseq = torch.nn.Sequential(
        torch.nn.Linear(2, 2),
        torch.nn.ReLU(),
        torch.nn.Sequential(torch.nn.Linear(2, 2), torch.nn.Tanh()),
    )
    assert [n for n, _ in seq.named_parameters()] == [n for n, _ in tseq.named_parameters()]
    assert [n for n, _ in seq.named_parameters()] == [
        "0.weight",
        "0.bias",
        "2.0.weight",
        "2.0.bias",
    ]


def test_plain_attributes_are_not_registered_and_parameters_are_the_same_objects():
    net = Net()
    assert net.note == "not registered"
    assert list(net.parameters())[0] is net.scale
    assert list(net.children()) == [net.body, net.head]
    assert len(list(net.modules())) == 6


def test_shared_parameters_are_listed_once_but_saved_under_each_name():
    a = nn.Linear(3, 3)
    model = nn.Sequential(a, nn.Tanh(), a)
    assert len(list(model.parameters())) == 2
    assert list(model.state_dict()) == ["0.weight", "0.bias", "2.weight", "2.bias"]


def test_reassigning_and_deleting_keep_registries_in_step():
    net = Net()
    net.head = nn.Linear(3, 5)  # replaced, still registered once
    assert [n for n, _ in net.named_children()] == ["body", "head"]
    net.scale = None  # an optional parameter may be switched off
    assert "scale" not in dict(net.named_parameters())
    with pytest.raises(
        TypeError,
        match="cannot assign Tensor to parameter 'scale' of Net: expected a Parameter or None",
    ):
        net.scale = nl.ones(3)
    net.steps = nl.ones(1)  # buffers take new tensors
    np.testing.assert_array_equal(net.state_dict()["steps"].data, [1.0])
    del net.head
    assert [n for n, _ in net.named_children()] == ["body"]


def test_forgetting_super_init_is_a_clear_error():
    class Forgetful(nn.Module):
        def __init__(self):
            self.fc = nn.Linear(2, 2)

    with pytest.raises(
        RuntimeError,
        match=r"call super\(\).__init__\(\) first in "
        r"Forgetful.__init__",
    ):
        Forgetful()


def test_forward_is_required_and_register_functions_check_types():
    with pytest.raises(NotImplementedError, match="Module has no forward"):
        nn.Module()(nl.zeros(1))
    module = nn.Module()
    with pytest.raises(TypeError, match="register_parameter.*expected a Parameter"):
        module.register_parameter("w", nl.ones(2))
    with pytest.raises(TypeError, match="register_buffer.*expected a Tensor or None, got ndarray"):
        module.register_buffer("b", np.ones(2))


def test_apply_visits_children_first_then_self():
    net, visited = Net(), []
    assert net.apply(lambda m: visited.append(type(m).__name__)) is net
    assert visited == ["Linear", "ReLU", "Linear", "Sequential", "Linear", "Net"]


# ----- state_dict --------------------------------------------------------------------------------


def test_state_dict_round_trip_in_place_and_deepcopy_snapshots():
    nl.manual_seed(0)
    source, target = Net(), Net()
    snapshot = copy.deepcopy(source.state_dict())
    arrays = [p.data for p in target.parameters()]
    target.load_state_dict(source.state_dict())
    for (name, p), (_, q) in zip(source.named_parameters(), target.named_parameters()):
        np.testing.assert_array_equal(p.data, q.data, err_msg=name)
    assert all(p.data is a for p, a in zip(target.parameters(), arrays))
    source.head.weight.data += 1  # the live state_dict shares memory, the deep copy does not
    assert not np.array_equal(snapshot["head.weight"].data, source.head.weight.data)
    assert np.array_equal(source.state_dict()["head.weight"].data, source.head.weight.data)


def test_load_state_dict_errors_list_every_problem():
    net = Net()
    state = net.state_dict()
    state.pop("head.bias")
    state["extra.weight"] = nl.zeros(2)
    state["body.0.weight"] = nl.zeros(5, 4)
    with pytest.raises(nn.StateDictError) as info:
        net.load_state_dict(state)
    message = str(info.value)
    assert message.startswith("Net.load_state_dict: the state_dict does not fit this model.")
    assert "missing keys (in the model, not in the state_dict): 'head.bias'" in message
    assert "unexpected keys (in the state_dict, not in the model): 'extra.weight'" in message
    assert "wrong shape for 'body.0.weight': the state_dict has (5, 4), the model has (3, 4)" in (
        message
    )
    assert isinstance(info.value, ValueError) and isinstance(info.value, RuntimeError)


def test_load_state_dict_non_strict_skips_keys_but_not_shapes():
    net = Net()
    state = net.state_dict()
    state.pop("head.bias")
    state["extra"] = nl.zeros(1)
    result = net.load_state_dict(state, strict=False)
    assert result.missing_keys == ["head.bias"] and result.unexpected_keys == ["extra"]
    state["head.weight"] = nl.zeros(9, 9)
    with pytest.raises(ValueError, match=r"wrong shape for 'head.weight'.*\(9, 9\)"):
        net.load_state_dict(state, strict=False)
    with pytest.raises(RuntimeError, match="missing keys"):
        net.load_state_dict({"scale": np.ones(3)})
    with pytest.raises(TypeError, match=r"expects a dict .* got Net"):
        net.load_state_dict(Net())


@pytest.mark.torch
def test_state_dict_moves_to_pytorch_and_back():
    nl.manual_seed(0)
    ours, theirs = Net(), TorchNet()
    theirs.load_state_dict(
        {k: torch.from_numpy(v.data.copy()) for k, v in ours.state_dict().items()}
    )
    back = Net()
    back.load_state_dict({k: v.detach().numpy() for k, v in theirs.state_dict().items()})
    x = nl.randn(5, 4)
    np.testing.assert_allclose(back(x).data, ours(x).data)
    with torch.no_grad():
        np.testing.assert_allclose(
            theirs.head(theirs.body(torch.from_numpy(x.data)) * theirs.scale).numpy(),
            ours(x).data,
            rtol=1e-6,
        )


def test_modules_pickle_and_deepcopy():
    net = Net()
    for clone in (copy.deepcopy(net), pickle.loads(pickle.dumps(net))):
        assert isinstance(clone.head.weight, nn.Parameter)
        assert clone.head.weight is not net.head.weight
        np.testing.assert_array_equal(clone.head.weight.data, net.head.weight.data)
        assert [n for n, _ in clone.named_parameters()] == [n for n, _ in net.named_parameters()]


# ----- modes, gradients, dtype -----------------------------------------------------------------


def test_train_eval_reach_every_module():
    net = Net()
    assert net.eval() is net and not any(m.training for m in net.modules())
    assert net.train() is net and all(m.training for m in net.modules())
    net.body.eval()
    assert net.training and not net.body[0].training
    with pytest.raises(ValueError, match="mode must be True or False"):
        net.train("no")


def test_zero_grad_none_or_zeros_in_place():
    net = Net()
    net(nl.randn(2, 4)).sum().backward()
    grad = net.head.weight.grad
    net.zero_grad(set_to_none=False)
    assert net.head.weight.grad is grad and not grad.any()
    net.zero_grad()
    assert all(p.grad is None for p in net.parameters())


def test_requires_grad_freezes_parameters():
    net = Net()
    net.body.requires_grad_(False)
    net(nl.randn(2, 4)).sum().backward()
    assert all(p.grad is None for p in net.body.parameters())
    assert net.head.weight.grad is not None


def test_to_double_float_convert_parameters_buffers_and_grads_in_place():
    net = Net()
    net(nl.randn(2, 4)).sum().backward()
    weight = net.head.weight
    assert net.double() is net
    assert weight is net.head.weight and weight.dtype == np.float64
    assert weight.grad.dtype == np.float64 and net.steps.dtype == np.float64
    assert net(nl.randn(2, 4, dtype="float64")).dtype == np.float64
    net.float()
    assert all(p.dtype == np.float32 for p in net.parameters())
    assert net.to("cpu") is net
    with pytest.raises(TypeError, match="expected a floating dtype"):
        net.to("int64")


# ----- hooks -------------------------------------------------------------------------------------


def test_forward_hooks_fire_in_order_replace_output_and_remove():
    model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
    calls = []
    handles = [
        m.register_forward_hook(
            lambda m, inputs, out: calls.append((type(m).__name__, inputs[0].shape, out.shape))
        )
        for m in model
    ]
    x = nl.randn(5, 3)
    model(x)
    assert calls == [
        ("Linear", (5, 3), (5, 4)),
        ("ReLU", (5, 4), (5, 4)),
        ("Linear", (5, 4), (5, 2)),
    ]
    for handle in handles:
        handle.remove()
    handle.remove()  # removing twice is harmless
    model(x)
    assert len(calls) == 3
    with model[1].register_forward_hook(lambda m, inputs, out: out * 0):
        assert not model[:2](x).data.any()  # the hook's result replaces the output
    assert model[:2](x).data.any()
    assert model[1]._forward_hooks == {}


def test_hook_sees_the_module_and_its_input_tensor():
    layer, seen = nn.Linear(2, 2), {}

    def hook(module, inputs, output):
        seen.update(module=module, input=inputs[0], output=output)

    layer.register_forward_hook(hook)
    x = nl.randn(1, 2)
    y = layer(x)
    assert seen["module"] is layer and seen["input"] is x and seen["output"] is y
    with pytest.raises(TypeError, match="expected a function"):
        layer.register_forward_hook(3)


# ----- repr and summary -------------------------------------------------------------------------


def test_repr_is_pytorchs_tree_with_parameter_counts():
    model = nn.Sequential(nn.Linear(4, 8), nn.ReLU(), nn.Sequential(nn.Linear(8, 1)))
    assert repr(model) == (
        "Sequential(\n"
        "  (0): Linear(in_features=4, out_features=8, bias=True)  # 40 params\n"
        "  (1): ReLU()\n"
        "  (2): Sequential(\n"
        "    (0): Linear(in_features=8, out_features=1, bias=True)  # 9 params\n"
        "  )  # 9 params\n"
        ")  # 49 params in total"
    )
    assert repr(nn.Linear(1, 1, bias=False)) == (
        "Linear(in_features=1, out_features=1, bias=False)  # 1 param"
    )
    text = repr(Net())
    assert text.startswith("Net(\n  (body): Sequential(") and text.endswith("# 38 params in total")


@pytest.mark.torch
def test_repr_without_counts_is_pytorchs():
    ours = nn.Sequential(
        nn.Linear(4, 8),
        nn.LeakyReLU(0.2),
        nn.Dropout(0.5),
        nn.Softmax(dim=1),
        nn.Sequential(nn.Flatten(), nn.Identity()),
    )
    theirs = torch.nn.Sequential(
        torch.nn.Linear(4, 8),
        torch.nn.LeakyReLU(0.2),
        torch.nn.Dropout(0.5),
        torch.nn.Softmax(dim=1),
        torch.nn.Sequential(torch.nn.Flatten(), torch.nn.Identity()),
    )
    stripped = "\n".join(line.split("  #")[0] for line in repr(ours).splitlines())
    assert stripped == repr(theirs).replace(", inplace=False", "")


def test_summary_lists_layers_shapes_and_totals(capsys):
    model = nn.Sequential(
        nn.Flatten(),
        nn.Linear(12, 5),
        nn.Dropout(0.5),
        nn.Sequential(nn.Linear(5, 3), nn.Softmax(dim=1)),
    )
    model.train()
    report = model.summary((2, 3, 4))
    printed = capsys.readouterr().out
    assert printed.strip() == str(report)
    assert [(r.name, r.type, r.output_shape, r.params) for r in report.rows] == [
        ("0", "Flatten", (2, 12), 0),
        ("1", "Linear", (2, 5), 65),
        ("2", "Dropout", (2, 5), 0),
        ("3.0", "Linear", (2, 3), 18),
        ("3.1", "Softmax", (2, 3), 0),
    ]
    assert report.total_params == 83 and report.trainable_params == 83
    assert "Total params: 83" in printed and "3.0 (Linear)" in printed
    assert "Non-trainable params: 0" in printed
    assert report.output_shape == (2, 3)
    assert all(m.training for m in model.modules())  # modes restored
    assert all(not m._forward_hooks for m in model.modules())  # hooks removed


def test_summary_counts_frozen_parameters_and_own_parameters():
    net = Net()
    net.head.requires_grad_(False)
    report = net.summary((1, 4), print_fn=None)
    assert report.trainable_params == report.total_params - 8
    assert [r.name for r in report.rows] == ["body.0", "body.1", "body.2", "head", "Net"]
    assert report.rows[-1].params == 3  # Net's own parameter, scale
    with pytest.raises(ValueError, match=r"input_shape must be a tuple of positive sizes"):
        net.summary(4)
    with pytest.raises(ValueError, match="expected inputs whose last dimension is 4"):
        net.summary((1, 5), print_fn=None)


# ----- Parameter ---------------------------------------------------------------------------------


def test_parameter_dtype_rules_and_repr():
    assert nn.Parameter([1.0, 2.0]).dtype == np.float32
    assert nn.Parameter(np.zeros(2)).dtype == np.float64  # a float64 array stays float64
    assert nn.Parameter(np.zeros(2, dtype=np.float16)).dtype == np.float32
    assert nn.Parameter([1, 2], dtype="float64").dtype == np.float64
    assert nn.Parameter(nl.ones(2)).dtype == np.float32
    array = np.zeros(3, dtype=np.float32)
    assert nn.Parameter(array).data is array  # no copy, as in PyTorch
    frozen = nn.Parameter(np.zeros(2), requires_grad=False)
    assert not frozen.requires_grad and frozen.is_leaf
    assert nn.Parameter().shape == (0,)
    assert repr(nn.Parameter([1.0])) == "Parameter containing:\ntensor([1.], requires_grad=True)"
    assert type(nn.Parameter([1.0]) * 2) is nl.Tensor  # results of ops are plain tensors
    with pytest.raises(TypeError, match="only floating point tensors can require gradients"):
        nn.Parameter([1, 2])


def test_unregistered_layers_and_tensors_are_warned_about():
    class ListNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.layers = [nn.Linear(2, 2), nn.Linear(2, 2)]

    with pytest.warns(UserWarning, match=r"ListNet.layers is a plain list.*nn.ModuleList"):
        ListNet()

    class TensorNet(nn.Module):
        def __init__(self):
            super().__init__()
            self.w = nl.randn(3, requires_grad=True)

    with pytest.warns(UserWarning, match=r"TensorNet.w is a plain Tensor.*nn.Parameter\(t\)"):
        TensorNet()
