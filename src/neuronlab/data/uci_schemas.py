"""Column schemas of the UCI tabular sets, with German credit's code book.

The German credit file codes every categorical value (``A11``, ``A43``, ...); the names below
are the meanings given in the data set's documentation (``german.doc``).
"""

from __future__ import annotations

__all__ = ["ADULT_COLUMNS", "ADULT_NUMERIC", "GERMAN_CODES", "GERMAN_COLUMNS", "GERMAN_NUMERIC"]

#: Adult's 14 attributes in file order (the 15th field is the income class).
ADULT_COLUMNS = (
    "age", "workclass", "fnlwgt", "education", "education_num", "marital_status",
    "occupation", "relationship", "race", "sex", "capital_gain", "capital_loss",
    "hours_per_week", "native_country",
)  # fmt: skip
ADULT_NUMERIC = (
    "age", "fnlwgt", "education_num", "capital_gain", "capital_loss", "hours_per_week",
)  # fmt: skip

#: German credit's 20 attributes in file order (the 21st field is the class, 1 good / 2 bad).
GERMAN_COLUMNS = (
    "checking_status", "duration_months", "credit_history", "purpose", "credit_amount",
    "savings", "employment_since", "installment_rate", "personal_status_sex",
    "other_debtors", "residence_since", "property", "age", "other_installment_plans",
    "housing", "existing_credits", "job", "num_dependents", "telephone", "foreign_worker",
)  # fmt: skip
GERMAN_NUMERIC = (
    "duration_months", "credit_amount", "installment_rate", "residence_since", "age",
    "existing_credits", "num_dependents",
)  # fmt: skip

#: Code → meaning for every categorical attribute of German credit (from german.doc).
GERMAN_CODES: dict[str, str] = {
    # 1 status of existing checking account (DM = Deutsche Mark)
    "A11": "< 0 DM",
    "A12": "0 <= ... < 200 DM",
    "A13": ">= 200 DM / salary assigned for at least 1 year",
    "A14": "no checking account",
    # 3 credit history
    "A30": "no credits taken / all credits paid back duly",
    "A31": "all credits at this bank paid back duly",
    "A32": "existing credits paid back duly till now",
    "A33": "delay in paying off in the past",
    "A34": "critical account / other credits existing (not at this bank)",
    # 4 purpose
    "A40": "car (new)",
    "A41": "car (used)",
    "A42": "furniture/equipment",
    "A43": "radio/television",
    "A44": "domestic appliances",
    "A45": "repairs",
    "A46": "education",
    "A47": "vacation",
    "A48": "retraining",
    "A49": "business",
    "A410": "others",
    # 6 savings account/bonds
    "A61": "< 100 DM",
    "A62": "100 <= ... < 500 DM",
    "A63": "500 <= ... < 1000 DM",
    "A64": ">= 1000 DM",
    "A65": "unknown / no savings account",
    # 7 present employment since
    "A71": "unemployed",
    "A72": "< 1 year",
    "A73": "1 <= ... < 4 years",
    "A74": "4 <= ... < 7 years",
    "A75": ">= 7 years",
    # 9 personal status and sex
    "A91": "male : divorced/separated",
    "A92": "female : divorced/separated/married",
    "A93": "male : single",
    "A94": "male : married/widowed",
    "A95": "female : single",
    # 10 other debtors / guarantors
    "A101": "none",
    "A102": "co-applicant",
    "A103": "guarantor",
    # 12 property
    "A121": "real estate",
    "A122": "building society savings agreement / life insurance",
    "A123": "car or other",
    "A124": "unknown / no property",
    # 14 other installment plans
    "A141": "bank",
    "A142": "stores",
    "A143": "none",
    # 15 housing
    "A151": "rent",
    "A152": "own",
    "A153": "for free",
    # 17 job
    "A171": "unemployed / unskilled - non-resident",
    "A172": "unskilled - resident",
    "A173": "skilled employee / official",
    "A174": "management / self-employed / highly qualified employee / officer",
    # 19 telephone
    "A191": "none",
    "A192": "yes, registered under the customer's name",
    # 20 foreign worker
    "A201": "yes",
    "A202": "no",
}
