"""`make run` keeps a dev environment as it is (scripts/bootstrap.sh) because dev.lock pins every
package of base.lock at the same version: this holds that promise when a lock is recompiled."""

from pathlib import Path

LOCKS = Path(__file__).resolve().parent.parent / "requirements"


def _pins(naam: str) -> dict[str, str]:
    pins = {}
    for regel in (LOCKS / naam).read_text().splitlines():
        regel = regel.split("#", 1)[0].strip().rstrip("\\").strip()
        if "==" in regel:
            pakket, versie = regel.split("==", 1)
            pins[pakket.strip().lower()] = versie.split(";", 1)[0].strip()
    return pins


def test_dev_lock_pins_every_base_package_at_the_same_version():
    base, dev = _pins("base.lock"), _pins("dev.lock")
    assert base, "base.lock heeft geen pins"
    verschil = {p: (v, dev.get(p)) for p, v in base.items() if dev.get(p) != v}
    assert not verschil
    assert "ruff" in dev and "ruff" not in base
