"""The catalogue of data sets: where each comes from, its checksums, licence and citation.

Pure data (no loaders imported here, so the loaders can look their entry up at call time).
Checksums are the published values; see ``docs/data.md`` for where each one comes from.
"""

from __future__ import annotations

from dataclasses import dataclass

__all__ = ["DATASETS", "DatasetInfo", "RemoteFile"]


@dataclass(frozen=True)
class RemoteFile:
    """One file of a data set.

    Attributes:
        name: file name on disk (inside the data set's folder).
        urls: official URL first, then mirrors; tried in order.
        sha256: SHA-256 of the file as served by ``urls``.
        md5: MD5 published by the authors (checked too when given).
        size: size in bytes as served.
        content_sha256: SHA-256 of the *decompressed* payload of a ``.gz`` file; lets files that
            were recompressed (Debian's packages) be verified.
        alternatives: other names accepted on disk (an uncompressed copy, an extracted folder).
    """

    name: str
    urls: tuple[str, ...]
    sha256: str | None
    md5: str | None = None
    size: int | None = None
    content_sha256: str | None = None
    alternatives: tuple[str, ...] = ()


@dataclass(frozen=True)
class DatasetInfo:
    """Description of one data set in the registry.

    ``kind`` is ``"files"`` (downloaded/located files), ``"bundled"`` (ships inside
    scikit-learn) or ``"generated"`` (a toy generator). ``loader`` is ``"module:function"``.
    """

    name: str
    title: str
    kind: str
    task: str
    loader: str
    description: str
    source: str
    licence: str
    citation: str
    classes: tuple[str, ...] | None = None
    folder: str | None = None
    files: tuple[RemoteFile, ...] = ()
    system_dirs: tuple[str, ...] = ()
    install_hints: tuple[str, ...] = ()


_FASHION = "http://fashion-mnist.s3-website.eu-central-1.amazonaws.com/"
_MNIST = (
    "https://ossci-datasets.s3.amazonaws.com/mnist/",
    "https://storage.googleapis.com/cvdf-datasets/mnist/",
)
_UCI = "https://archive.ics.uci.edu/ml/machine-learning-databases/"
_UCI_LICENCE = "CC BY 4.0 (UCI Machine Learning Repository)"
_SK = "neuronlab.data.bundled:"
_TOY = "neuronlab.data.registry:_load_toy"


def _fashion(name: str, sha256: str, md5: str, size: int, content: str) -> RemoteFile:
    raw = name.removesuffix(".gz")
    return RemoteFile(name, (_FASHION + name,), sha256, md5, size, content, (raw,))


def _mnist(name: str, sha256: str, md5: str, size: int) -> RemoteFile:
    urls = tuple(base + name for base in _MNIST)
    return RemoteFile(name, urls, sha256, md5, size, None, (name.removesuffix(".gz"),))


_FASHION_CLASSES = (
    "T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
    "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot",
)  # fmt: skip
_CIFAR_CLASSES = (
    "airplane", "automobile", "bird", "cat", "deer",
    "dog", "frog", "horse", "ship", "truck",
)  # fmt: skip
_DIGITS = tuple(str(d) for d in range(10))

_ENTRIES = [
    DatasetInfo(
        name="fashion_mnist",
        title="Fashion-MNIST",
        kind="files",
        task="classification",
        loader="neuronlab.data.images:load_fashion_mnist",
        description="70,000 28x28 grayscale images of Zalando articles in 10 classes "
        "(60,000 train / 10,000 test); a drop-in replacement for MNIST.",
        source="https://github.com/zalandoresearch/fashion-mnist",
        licence="MIT",
        citation="Han Xiao, Kashif Rasul, Roland Vollgraf (2017). Fashion-MNIST: a Novel Image "
        "Dataset for Benchmarking Machine Learning Algorithms. arXiv:1708.07747.",
        classes=_FASHION_CLASSES,
        folder="fashion-mnist",
        files=(
            _fashion(
                "train-images-idx3-ubyte.gz",
                "3aede38d61863908ad78613f6a32ed271626dd12800ba2636569512369268a84",
                "8d4fb7e6c68d591d4c3dfef9ec88bf0d",
                26421880,
                "c59f468a2f672dc815687fe0f83887768d799fd8a3f3276145d20f83aa44d888",
            ),
            _fashion(
                "train-labels-idx1-ubyte.gz",
                "a04f17134ac03560a47e3764e11b92fc97de4d1bfaf8ba1a3aa29af54cc90845",
                "25c81989df183df01b3e8a0aad5dffbe",
                29515,
                "bad3541b69d912435c50bb6ba87bec294ff4f6a2e1246121d8633921760443d9",
            ),
            _fashion(
                "t10k-images-idx3-ubyte.gz",
                "346e55b948d973a97e58d2351dde16a484bd415d4595297633bb08f03db6a073",
                "bef4ecab320f06d8554ea6380940ec79",
                4422102,
                "5b4141f0afbad91edebe8549f8fcffe087ea10ca49f1dbef5c9a5cd8815ce37b",
            ),
            _fashion(
                "t10k-labels-idx1-ubyte.gz",
                "67da17c76eaffca5446c3361aaab5c3cd6d1c2608764d35dfb1850b086bf8dd5",
                "bb300cfdad3c16e7a12a480ee83cd310",
                5148,
                "0402a96d92fd2663957122ceb108a494c5af83dab82d92729df917d7dec38c34",
            ),
        ),
        system_dirs=("/usr/share/datasets/fashion-mnist",),
        install_hints=("sudo apt-get install dataset-fashion-mnist",),
    ),
    DatasetInfo(
        name="mnist",
        title="MNIST",
        kind="files",
        task="classification",
        loader="neuronlab.data.images:load_mnist",
        description="70,000 28x28 grayscale images of handwritten digits "
        "(60,000 train / 10,000 test).",
        source="http://yann.lecun.com/exdb/mnist/",
        licence="CC BY-SA 3.0 (Yann LeCun and Corinna Cortes)",
        citation="Y. LeCun, L. Bottou, Y. Bengio, P. Haffner (1998). Gradient-based learning "
        "applied to document recognition. Proceedings of the IEEE 86(11):2278-2324.",
        classes=_DIGITS,
        folder="mnist",
        files=(
            _mnist(
                "train-images-idx3-ubyte.gz",
                "440fcabf73cc546fa21475e81ea370265605f56be210a4024d2ca8f203523609",
                "f68b3c2dcbeaaa9fbdd348bbdeb94873",
                9912422,
            ),
            _mnist(
                "train-labels-idx1-ubyte.gz",
                "3552534a0a558bbed6aed32b30c495cca23d567ec52cac8be1a0730e8010255c",
                "d53e105ee54ea40749a09fcbcd1e9432",
                28881,
            ),
            _mnist(
                "t10k-images-idx3-ubyte.gz",
                "8d422c7b0a1c1c79245a5bcf07fe86e33eeafee792b84584aec276f5a2dbc4e6",
                "9fb629c4189551a2d022fa330f9573f3",
                1648877,
            ),
            _mnist(
                "t10k-labels-idx1-ubyte.gz",
                "f7ae60f92e00ec6debd23a6088c31dbd2371eca3ffa0defaefb259924204aec6",
                "ec29112dd5afa0611ce80d1b7f02629c",
                4542,
            ),
        ),
    ),
    DatasetInfo(
        name="cifar10",
        title="CIFAR-10",
        kind="files",
        task="classification",
        loader="neuronlab.data.images:load_cifar10",
        description="60,000 32x32 colour images in 10 classes (50,000 train / 10,000 test).",
        source="https://www.cs.toronto.edu/~kriz/cifar.html",
        licence="no licence stated by the authors; cite the technical report",
        citation="Alex Krizhevsky (2009). Learning Multiple Layers of Features from Tiny Images. "
        "Technical report, University of Toronto.",
        classes=_CIFAR_CLASSES,
        folder="cifar-10",
        files=(
            RemoteFile(
                "cifar-10-python.tar.gz",
                ("https://www.cs.toronto.edu/~kriz/cifar-10-python.tar.gz",),
                "6d958be074577803d12ecdefd02955f39262c83c16fe9348329d7fe0b5c001ce",
                "c58f30108f718f92721af3b95e74349a",
                170498071,
                alternatives=("cifar-10-batches-py",),
            ),
        ),
    ),
    DatasetInfo(
        name="adult",
        title="UCI Adult (Census Income)",
        kind="files",
        task="classification",
        loader="neuronlab.data.tabular:load_adult",
        description="48,842 people from the 1994 US census (32,561 train / 16,281 test), "
        "14 attributes; predict whether income exceeds $50K a year.",
        source="https://archive.ics.uci.edu/dataset/2/adult",
        licence=_UCI_LICENCE,
        citation="Barry Becker, Ronny Kohavi (1996). Adult [Dataset]. UCI Machine Learning "
        "Repository. https://doi.org/10.24432/C5XW20",
        classes=("<=50K", ">50K"),
        folder="uci-adult",
        files=(
            RemoteFile(
                "adult.data",
                (_UCI + "adult/adult.data",),
                "5b00264637dbfec36bdeaab5676b0b309ff9eb788d63554ca0a249491c86603d",
                size=3974305,
            ),
            RemoteFile(
                "adult.test",
                (_UCI + "adult/adult.test",),
                "a2a9044bc167a35b2361efbabec64e89d69ce82d9790d2980119aac5fd7e9c05",
                size=2003153,
            ),
        ),
    ),
    DatasetInfo(
        name="german_credit",
        title="Statlog (German Credit Data)",
        kind="files",
        task="classification",
        loader="neuronlab.data.tabular:load_german_credit",
        description="1,000 loan applicants described by 20 attributes, rated good or bad "
        "credit risks (700 good / 300 bad).",
        source="https://archive.ics.uci.edu/dataset/144/statlog+german+credit+data",
        licence=_UCI_LICENCE,
        citation="Hans Hofmann (1994). Statlog (German Credit Data) [Dataset]. UCI Machine "
        "Learning Repository. https://doi.org/10.24432/C5NC77",
        classes=("good", "bad"),
        folder="uci-german-credit",
        files=(
            RemoteFile(
                "german.data",
                (_UCI + "statlog/german/german.data",),
                "b21f3d81db8071257d5ff1deaeba1fd4303b62712e6fcc9715c7a86202cb5871",
                size=79793,
            ),
        ),
    ),
    DatasetInfo(
        name="digits",
        title="Optical Recognition of Handwritten Digits (8x8)",
        kind="bundled",
        task="classification",
        loader=_SK + "load_digits",
        description="1,797 8x8 images of handwritten digits, pixel values 0..16.",
        source="https://archive.ics.uci.edu/dataset/80/optical+recognition+of+handwritten+digits",
        licence=_UCI_LICENCE + "; shipped with scikit-learn",
        citation="E. Alpaydin, C. Kaynak (1998). Optical Recognition of Handwritten Digits "
        "[Dataset]. UCI Machine Learning Repository. https://doi.org/10.24432/C50P49",
        classes=_DIGITS,
    ),
    DatasetInfo(
        name="iris",
        title="Iris",
        kind="bundled",
        task="classification",
        loader=_SK + "load_iris",
        description="150 iris flowers, 4 measurements, 3 species.",
        source="https://archive.ics.uci.edu/dataset/53/iris",
        licence=_UCI_LICENCE + "; shipped with scikit-learn",
        citation="R. A. Fisher (1936). Iris [Dataset]. UCI Machine Learning Repository. "
        "https://doi.org/10.24432/C56C76",
        classes=("setosa", "versicolor", "virginica"),
    ),
    DatasetInfo(
        name="wine",
        title="Wine",
        kind="bundled",
        task="classification",
        loader=_SK + "load_wine",
        description="178 wines from three cultivars, 13 chemical measurements.",
        source="https://archive.ics.uci.edu/dataset/109/wine",
        licence=_UCI_LICENCE + "; shipped with scikit-learn",
        citation="S. Aeberhard, M. Forina (1991). Wine [Dataset]. UCI Machine Learning "
        "Repository. https://doi.org/10.24432/C5PC7J",
        classes=("class_0", "class_1", "class_2"),
    ),
    DatasetInfo(
        name="breast_cancer",
        title="Breast Cancer Wisconsin (Diagnostic)",
        kind="bundled",
        task="classification",
        loader=_SK + "load_breast_cancer",
        description="569 breast-mass biopsies, 30 features of the cell nuclei; "
        "malignant or benign.",
        source="https://archive.ics.uci.edu/dataset/17/breast+cancer+wisconsin+diagnostic",
        licence=_UCI_LICENCE + "; shipped with scikit-learn",
        citation="W. Wolberg, O. Mangasarian, N. Street, W. Street (1995). Breast Cancer "
        "Wisconsin (Diagnostic) [Dataset]. UCI Machine Learning Repository. "
        "https://doi.org/10.24432/C5DW2B",
        classes=("malignant", "benign"),
    ),
    DatasetInfo(
        name="diabetes",
        title="Diabetes",
        kind="bundled",
        task="regression",
        loader=_SK + "load_diabetes",
        description="442 diabetes patients, 10 baseline variables (mean-centred and scaled); "
        "target: disease progression one year later.",
        source="https://www4.stat.ncsu.edu/~boos/var.select/diabetes.html",
        licence="shipped with scikit-learn (BSD-3-Clause)",
        citation="B. Efron, T. Hastie, I. Johnstone, R. Tibshirani (2004). Least Angle "
        "Regression. Annals of Statistics 32(2):407-499.",
    ),
]

_TOY_ENTRIES = [
    ("circle", "classification", "a disc of one class inside a ring of the other"),
    ("xor", "classification", "four quadrants, opposite corners share a class"),
    ("gaussian", "classification", "Gaussian clusters, one per class (n_classes)"),
    ("spiral", "classification", "interleaved spiral arms, one per class (n_classes)"),
    ("moons", "classification", "two interleaving half circles"),
    ("plane", "regression", "a tilted plane y = (x1 + x2) / 10"),
    ("multi_gaussian", "regression", "six alternating +1/-1 bumps"),
]

for _name, _task, _desc in _TOY_ENTRIES:
    _ENTRIES.append(
        DatasetInfo(
            name=_name,
            title=f"Toy 2-D: {_name}",
            kind="generated",
            task=_task,
            loader=_TOY,
            description=f"Generated on the fly (neuronlab.data.toy.{_name}): {_desc}.",
            source="generated by neuronlab (after TensorFlow Playground)",
            licence="MIT (neuronlab)",
            citation="",
        )
    )

#: name → :class:`DatasetInfo` for every data set :func:`~neuronlab.data.load` knows.
DATASETS: dict[str, DatasetInfo] = {info.name: info for info in _ENTRIES}
