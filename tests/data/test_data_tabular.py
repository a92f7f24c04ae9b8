"""UCI Adult and German credit loaders on small generated files in the real formats."""

from __future__ import annotations

import numpy as np
import pytest

from neuronlab.data import CorruptDatasetError, load, load_adult, load_german_credit
from neuronlab.data.tabular import read_adult, read_german


def test_read_adult_formats(tmp_path, factory):
    factory.adult_files(tmp_path)
    frame, y = read_adult(tmp_path / "adult.data")
    assert len(y) == 5 and y.tolist() == [0, 1, 0, 0, 1]
    assert frame["workclass"][0] == "State-gov"  # leading space stripped
    assert frame["age"].dtype == np.int64 and frame["age"].tolist()[:2] == [39, 50]
    test_frame, y_test = read_adult(tmp_path / "adult.test")  # comment line, labels with '.'
    assert len(y_test) == 4 and y_test.tolist() == [0, 1, 0, 0]
    assert test_frame["income"].tolist()[1] == ">50K"


def test_load_adult_drop_missing(data_home, factory):
    factory.adult_files(data_home / "uci-adult")
    b = load_adult(source="official")
    assert len(b.y_train) == 3 and len(b.y_test) == 3  # rows with '?' dropped
    assert b.X_train.dtype == np.float32 and b.X_train.shape[0] == 3
    assert b.X_train.shape[1] == len(b.feature_names)
    assert b.feature_names[:6] == b.numeric_features
    assert "race_Black" in b.feature_names and "sex_Female" in b.feature_names
    np.testing.assert_allclose(b.X_train[:, :6].mean(axis=0), 0, atol=1e-6)  # standardised
    assert b.protected_attributes == ("sex", "race", "age")
    assert b.frame_test["race"].tolist() == ["White", "White", "Amer-Indian-Eskimo"]
    # a category unseen in training encodes as all zeros in its block
    race_cols = [i for i, n in enumerate(b.feature_names) if n.startswith("race_")]
    assert b.X_test[2, race_cols].sum() == 0
    assert b.classes == ("<=50K", ">50K") and "income > $50K" in b.target_meaning
    assert "protected attributes: sex, race, age" in b.describe()


def test_load_adult_missing_as_category(data_home, factory):
    factory.adult_files(data_home / "uci-adult")
    b = load_adult(source="official", missing="category", encode=False)
    assert b.X_train.shape == (5, 14) and b.X_train.dtype == object
    assert "missing" in b.frame_train["native_country"].tolist()
    assert "workclass_missing" in load_adult(source="official", missing="category").feature_names
    with pytest.raises(ValueError, match="'drop', 'category'"):
        load_adult(source="official", missing="impute")


def test_load_adult_drop_protected(data_home, factory):
    factory.adult_files(data_home / "uci-adult")
    b = load_adult(source="official", drop_protected=True)
    assert not any(n.startswith(("sex_", "race_")) or n == "age" for n in b.feature_names)
    assert "sex" in b.frame_train and "age" in b.frame_train
    assert load_adult(source="official", drop_protected=True, encode=False).X_train.shape[1] == 11


def test_adult_corrupt_lines(data_home, factory):
    folder = data_home / "uci-adult"
    factory.adult_files(folder)
    with open(folder / "adult.data", "a") as f:
        f.write("1, 2, 3\n")
    with pytest.raises(CorruptDatasetError, match=r"adult.data line 7 has 3"):
        load_adult(source="official")
    factory.adult_files(folder)
    with open(folder / "adult.data", "a") as f:
        f.write(factory.ADULT_ROWS[0].replace("39", "thirty-nine") + "\n")
    with pytest.raises(CorruptDatasetError, match=r"integer in column 'age'.*line 7"):
        load_adult(source="official")
    factory.adult_files(folder)
    with open(folder / "adult.test", "a") as f:
        f.write(factory.ADULT_ROWS[0].replace("<=50K", "maybe") + "\n")
    with pytest.raises(CorruptDatasetError, match="'<=50K' or '>50K'"):
        load_adult(source="official")


def test_read_german(tmp_path, factory):
    factory.german_file(tmp_path)
    frame, y = read_german(tmp_path / "german.data")
    assert y.tolist() == [0, 1, 0, 0]  # class 1 (good) -> 0, class 2 (bad) -> 1
    assert frame["checking_status"].tolist()[:2] == ["A11", "A12"]
    assert frame["credit_amount"].tolist()[0] == 1169


def test_load_german_credit(data_home, factory):
    factory.german_file(data_home / "uci-german-credit")
    b = load_german_credit(source="official")
    assert not b.has_split and b.X.shape[0] == 4 and b.X.dtype == np.float32
    assert b.classes == ("good", "bad") and "bad credit risk" in b.target_meaning
    assert b.frame["checking_status"][0] == "< 0 DM"
    assert b.frame["personal_status_sex"][1] == "female : divorced/separated/married"
    assert "purpose_radio/television" in b.feature_names
    assert b.extras["cost_matrix"] == [[0, 1], [5, 0]]
    raw = load_german_credit(source="official", decode=False, encode=False)
    assert raw.X.shape == (4, 20) and raw.frame["purpose"][2] == "A46"
    slim = load("german_credit", source="official", drop_protected=True)
    assert not any(
        n.startswith(("personal_status_sex", "foreign_worker")) for n in slim.feature_names
    )
    assert "age" not in slim.feature_names


def test_german_corrupt(data_home, factory):
    folder = data_home / "uci-german-credit"
    factory.german_file(folder)
    with open(folder / "german.data", "a") as f:
        f.write("A11 6 A34 3\n")
    with pytest.raises(CorruptDatasetError, match=r"german.data line 5"):
        load_german_credit(source="official")
