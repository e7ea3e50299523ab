"""The ten complaint categories (DOMAIN.md), in a fixed order shared by training, serving and reports."""

LABELS: tuple[str, ...] = (
    "FACTORY_POLLUTION",
    "FACTORY_SAFETY",
    "FACTORY_PERMIT",
    "PRODUCT_STANDARD",
    "MINING",
    "SUGARCANE",
    "OFFICIAL_MISCONDUCT",
    "E_SERVICE",
    "SME_SUPPORT",
    "OUT_OF_REMIT",
)

#: Never routed automatically: the ministry cannot act on it, a person refers it out.
OUT_OF_REMIT = "OUT_OF_REMIT"

#: Complaints about a plant itself; the Traffy report counts these together as "factory recall".
FACTORY_LABELS: frozenset[str] = frozenset({"FACTORY_POLLUTION", "FACTORY_SAFETY", "FACTORY_PERMIT"})
