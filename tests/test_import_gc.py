"""The import pauses Python's cyclic garbage collector while it builds its rows
(`plaatsingen.importeren.verwerken._zonder_gc`): it must come back on however the import ends,
and must not be switched on by an import when someone else had switched it off."""

import gc

import pytest

from plaatsingen.importeren import verwerken


def test_the_collector_is_back_on_after_an_import_that_fails():
    assert gc.isenabled()
    with pytest.raises(RuntimeError), verwerken._zonder_gc():
        assert not gc.isenabled()
        raise RuntimeError
    assert gc.isenabled()


def test_a_collector_that_was_off_stays_off():
    gc.disable()
    try:
        with verwerken._zonder_gc():
            verwerken._opruimen(verwerken.OPRUIMEN_PER - 1)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_cycles_made_during_an_import_are_freed_every_few_groups():
    class Knoop:
        pass

    with verwerken._zonder_gc():
        a = Knoop()
        a.zelf = a
        weg = [id(a)]
        del a
        verwerken._opruimen(0)  # not yet its turn
        assert any(id(o) in weg for o in gc.get_objects() if type(o) is Knoop)
        verwerken._opruimen(verwerken.OPRUIMEN_PER - 1)
        assert not any(type(o) is Knoop for o in gc.get_objects())
