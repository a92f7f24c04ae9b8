"""Data for neuronlab: data sets, mini-batches, preprocessing, splits, toy and real data.

Importing this package needs only NumPy and never touches the network: scikit-learn is imported
by the loaders of its bundled sets, ``rich`` only to draw a download progress bar.

>>> from neuronlab.data import DataLoader, spiral, train_test_split
>>> X, y = spiral(200, n_classes=2, seed=0)
>>> X_tr, X_te, y_tr, y_te = train_test_split(X, y, test_size=0.25, stratify=y, seed=0)
>>> next(iter(DataLoader((X_tr, y_tr), batch_size=50, shuffle=True, seed=0)))[0].shape
(50, 2)
"""

from . import packaged
from .bundle import DatasetBundle
from .bundled import load_breast_cancer, load_diabetes, load_digits, load_iris, load_wine
from .catalog import DATASETS, DatasetInfo, RemoteFile
from .dataset import Dataset, TensorDataset, to_numpy
from .download import check_integrity, download_file, ensure_dataset
from .errors import CorruptDatasetError, DatasetNotFoundError
from .fashion_subset import load_fashion_mnist_or_subset, load_fashion_mnist_subset
from .formats import read_cifar10, read_idx, write_idx
from .images import load_cifar10, load_fashion_mnist, load_mnist
from .loader import DataLoader
from .paths import cache_dir, data_roots
from .preprocessing import MinMaxScaler, OneHotEncoder, StandardScaler
from .registry import DatasetStatus, dataset_status, list_datasets, load, locate
from .splits import train_test_split, train_val_test_split
from .tabular import load_adult, load_german_credit
from .text import (
    DEFAULT_WORDS,
    IGNORE_INDEX,
    CharVocab,
    next_char_pairs,
    read_text,
    read_words,
    split_words,
    text_windows,
    unigram_loss,
)
from .toy import circle, gaussian, moons, multi_gaussian, plane, spiral, xor

__all__ = [
    "DEFAULT_WORDS",
    "IGNORE_INDEX",
    "CharVocab",
    "next_char_pairs",
    "read_text",
    "read_words",
    "split_words",
    "text_windows",
    "unigram_loss",
    "DATASETS",
    "CorruptDatasetError",
    "DataLoader",
    "Dataset",
    "DatasetBundle",
    "DatasetInfo",
    "DatasetNotFoundError",
    "DatasetStatus",
    "MinMaxScaler",
    "OneHotEncoder",
    "packaged",
    "RemoteFile",
    "StandardScaler",
    "TensorDataset",
    "cache_dir",
    "check_integrity",
    "circle",
    "data_roots",
    "dataset_status",
    "download_file",
    "ensure_dataset",
    "gaussian",
    "list_datasets",
    "load",
    "load_adult",
    "load_breast_cancer",
    "load_cifar10",
    "load_diabetes",
    "load_digits",
    "load_fashion_mnist",
    "load_fashion_mnist_or_subset",
    "load_fashion_mnist_subset",
    "load_german_credit",
    "load_iris",
    "load_mnist",
    "load_wine",
    "locate",
    "moons",
    "multi_gaussian",
    "plane",
    "read_cifar10",
    "read_idx",
    "spiral",
    "to_numpy",
    "train_test_split",
    "train_val_test_split",
    "write_idx",
    "xor",
]
