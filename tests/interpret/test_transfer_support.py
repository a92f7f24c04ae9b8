"""What transfer learning needs from the library, against PyTorch's semantics: freezing,
replacing a head, per-group learning rates, loading a body whose head differs."""

from __future__ import annotations

import numpy as np
import pytest
import torch

import neuronlab as nl
from neuronlab import nn, optim


def pair():
    nl.manual_seed(0)
    ours = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 3))
    theirs = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 3))
    theirs.load_state_dict({k: torch.from_numpy(np.array(v.data)) for k, v in
                            ours.state_dict().items()})  # fmt: skip
    return ours, theirs


def batch():
    rng = np.random.default_rng(0)
    return rng.normal(size=(8, 4)).astype(np.float32), rng.integers(0, 3, size=8)


def steps(model, opt, n, torch_side=False):
    X, y = batch()
    for _ in range(n):
        opt.zero_grad()
        if torch_side:
            loss = torch.nn.functional.cross_entropy(model(torch.from_numpy(X)),
                                                     torch.from_numpy(y))  # fmt: skip
        else:
            loss = nn.CrossEntropyLoss()(model(nl.tensor(X)), y)
        loss.backward()
        opt.step()


def assert_same(ours, theirs):
    for (name, p), q in zip(ours.named_parameters(), theirs.parameters()):
        np.testing.assert_allclose(p.data, q.detach().numpy(), rtol=1e-5, atol=1e-6, err_msg=name)


def test_freeze_and_unfreeze_match_requires_grad():
    ours, theirs = pair()
    assert ours[0].freeze() is ours[0]
    theirs[0].requires_grad_(False)
    flags = [p.requires_grad for p in ours.parameters()]
    assert flags == [p.requires_grad for p in theirs.parameters()] == [False, False, True, True]
    ours.unfreeze()
    assert all(p.requires_grad for p in ours.parameters())


@pytest.mark.parametrize("make", [
    lambda groups: (optim.Adam(groups[0], lr=0.01), torch.optim.Adam(groups[1], lr=0.01)),
    lambda groups: (optim.SGD(groups[0], lr=0.1, momentum=0.9),
                    torch.optim.SGD(groups[1], lr=0.1, momentum=0.9)),
])  # fmt: skip
def test_a_frozen_body_and_per_group_learning_rates_train_as_in_torch(make):
    ours, theirs = pair()
    ours[0].freeze()
    theirs[0].requires_grad_(False)

    def groups(model):
        return [{"params": list(model[0].parameters()), "lr": 0.001},
                {"params": list(model[2].parameters())}]  # fmt: skip

    opt, topt = make((groups(ours), groups(theirs)))
    frozen = np.array(ours[0].weight.data)
    steps(ours, opt, 5)
    steps(theirs, topt, 5, torch_side=True)
    np.testing.assert_array_equal(ours[0].weight.data, frozen)
    assert_same(ours, theirs)
    ours[0].unfreeze()
    theirs[0].requires_grad_(True)
    steps(ours, opt, 5)
    steps(theirs, topt, 5, torch_side=True)
    assert not np.allclose(ours[0].weight.data, frozen)
    assert_same(ours, theirs)


def test_a_replaced_head_loads_the_body_and_reports_what_was_skipped():
    source, _ = pair()
    target = nn.Sequential(nn.Linear(4, 6), nn.Tanh(), nn.Linear(6, 5))  # a 5-class head
    body = {k: v for k, v in source.state_dict().items() if not k.startswith("2.")}
    result = target.load_state_dict(body, strict=False)
    twin = torch.nn.Sequential(torch.nn.Linear(4, 6), torch.nn.Tanh(), torch.nn.Linear(6, 5))
    expected = twin.load_state_dict({k: torch.from_numpy(np.array(v.data)) for k, v in
                                     body.items()}, strict=False)  # fmt: skip
    assert result.missing_keys == expected.missing_keys == ["2.weight", "2.bias"]
    assert result.unexpected_keys == expected.unexpected_keys == []
    np.testing.assert_array_equal(target[0].weight.data, source[0].weight.data)
    with pytest.raises(ValueError, match=r"wrong shape for '2.weight'"):
        target.load_state_dict(source.state_dict(), strict=False)


def test_replacing_a_head_in_a_sequential_registers_the_new_layer():
    model, _ = pair()
    model[2] = nn.Linear(6, 5)
    assert model(nl.zeros(2, 4)).shape == (2, 5)
    assert [n for n, _ in model.named_parameters()][-2:] == ["2.weight", "2.bias"]
    assert model[2].weight.shape == (5, 6)
