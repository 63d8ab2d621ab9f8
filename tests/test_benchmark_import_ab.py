"""The same-run A/B of the first import reads both benchmarks' output right, and the
baseline commit still has the line it adds its foreign-key timing after."""

import subprocess
from pathlib import Path

import pytest
from django.core.management.base import CommandError

from tools.management.commands import benchmark_import_ab as ab

# Lines as the two benchmark_import versions print them (from a real run).
BASIS = """Export: 25000 rijen, 4.2 MB
FK-controles bij commit (apart): 1.95 s
Eerste import:     11.78 s       2121 rijen/s  (25000 nieuw, 712 nieuwe scholen)  piekgeheugen 113 MB
  waarvan routetool.services (route_starten/uitschrijving_verwerken): 7.37 s; import zelf 4.42 s
"""
NU = """Export: 25000 rijen, 4.2 MB
Eerste import:      8.25 s       3030 rijen/s  (25000 nieuw, 712 nieuwe scholen)  piekgeheugen 127 MB
  waarvan de controles van de foreign keys die COMMIT zou doen (uitgesteld; de benchmark draait terug, dus ze lopen hier apart): 2.28 s
  WAL die PostgreSQL voor deze import schreef: 183 MB (7665 bytes per rij)
"""


def test_the_baseline_excludes_the_commit_checks_today_includes_them():
    assert ab.uitkomst(BASIS, basis=True) == pytest.approx((11.78, 13.73))
    assert ab.uitkomst(NU, basis=False) == pytest.approx((5.97, 8.25))


def test_output_without_the_figures_is_an_error_not_a_zero():
    with pytest.raises(CommandError, match="Onverwachte uitvoer"):
        ab.uitkomst("Export: 25000 rijen\nTraceback ...", basis=False)
    # the baseline's own output lacks the FK line unless the command added it
    with pytest.raises(CommandError):
        ab.uitkomst(BASIS.replace("FK-controles", "FK"), basis=True)


def test_the_baseline_commit_has_the_anchor_the_fk_timing_goes_after():
    root = Path(__file__).resolve().parent.parent
    tekst = subprocess.run(
        ["git", "-C", str(root), "show", f"{ab.BASIS}:{ab.BASIS_BENCHMARK}"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert tekst.count(ab.BASIS_ANKER) == 1
    # what the timing uses is there at that commit
    assert "import time" in tekst and "out = self.stdout.write" in tekst
