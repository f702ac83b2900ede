"""units: one pint registry built from units_zh.txt alone, reduced to the shipped conversion table."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal

import pytest

from factcheck import units

D = Decimal


@pytest.fixture(scope="module")
def ureg():
    """A pint registry with no defaults, built from the package's definitions file alone."""
    pint = pytest.importorskip("pint")
    reg = pint.UnitRegistry(None, non_int_type=Decimal)
    reg.load_definitions(str(units.DEFINITIONS))
    return reg


def test_definitions_file_ships_with_the_package():
    assert units.DEFINITIONS.name == "units_zh.txt"
    assert units.DEFINITIONS.is_file()
    assert units.TABLE.is_file()


def test_shipped_table_is_current():
    """data/units_table.json equals what the registry gives today (run `python -m factcheck.units`)."""
    shipped = json.loads(units.TABLE.read_text(encoding="utf-8"))
    assert shipped == units.build_table()


def test_table_hash_matches_definitions():
    shipped = json.loads(units.TABLE.read_text(encoding="utf-8"))
    assert shipped["definitions_sha256"] == units._definitions_hash()


@pytest.mark.parametrize("unit, dim, base, factor", [
    ("元", "[money]", "元", "1"),
    ("万元", "[money]", "元", "1E+4"),
    ("亿元", "[money]", "元", "1E+8"),
    ("千万元", "[money]", "元", "1E+7"),
    ("万亿元", "[money]", "元", "1E+12"),
    ("平方米", "[area]", "平方米", "1"),
    ("万平方米", "[area]", "平方米", "1E+4"),
    ("吨", "[mass]", "吨", "1"),
    ("公里", "[length]", "米", "1E+3"),
    ("人次", "[visit]", "人次", "1"),
    ("万人次", "[visit]", "人次", "1E+4"),
    ("%", "", "1", "0.01"),
    ("‰", "", "1", "0.001"),
    ("个百分点", "[percentage_point]", "个百分点", "1"),
])
def test_unit_table(unit, dim, base, factor):
    info = units.unit_info(unit)
    assert info is not None, unit
    assert (info.dim, info.base, info.factor) == (dim, base, D(factor))


def test_mu_is_two_thousand_thirds_square_metre():
    info = units.unit_info("亩")
    assert info.dim == "[area]" and info.base == "平方米"
    assert abs(info.factor - D(2000) / 3) < D("1e-20")
    assert abs(units.unit_info("万亩").factor - D(20000000) / 3) < D("1e-15")


@pytest.mark.parametrize("cls", list("个项家户条件套栋支"))
def test_count_classifiers(cls):
    info = units.unit_info(cls)
    assert (info.dim, info.base, info.factor) == ("[count]", "个", 1)
    assert units.unit_info("万" + cls).factor == D("1E+4")


@pytest.mark.parametrize("cls", ["人", "名"])
def test_people_are_counted_apart_from_things(cls):
    assert units.unit_info(cls).dim == "[person]"
    assert units.unit_info(cls).dim != units.unit_info("个").dim


def test_events_and_visits_are_their_own_dimensions():
    dims = {units.unit_info(u).dim for u in ("次", "人次", "人", "个")}
    assert len(dims) == 4


def test_percentage_points_are_not_percent():
    assert units.unit_info("个百分点").dim != units.unit_info("%").dim


@pytest.mark.parametrize("text, unit, cls", [
    ("共5栋楼", "栋", "栋"), ("组建3支队伍", "支", "支"), ("建成500套住房", "套", "套"), ("新增1.1万户", "万户", "户"),
    ("发布20条措施", "条", "条"), ("办理300件", "件", "件"), ("实施10项工程", "项", "项"), ("招聘10名员工", "名", "名"),
    ("服务30次", "次", "次"), ("企业164家", "家", "家"), ("全区32个部门", "个", "个"), ("就业750人", "人", "人"),
])
def test_claims_keep_their_classifier(one_claim, text, unit, cls):
    c = one_claim(text)
    assert c.unit == unit
    assert c.classifier == cls


@pytest.mark.parametrize("text, unit", [
    ("流转土地500亩", "亩"), ("新建30万平方米厂房", "万平方米"), ("产量20吨", "吨"), ("修建道路15公里", "公里"),
    ("接待游客3.5万人次", "万人次"), ("扶持资金3541.07万元", "万元"), ("总投资0.35亿元", "亿元"),
])
def test_claim_units(one_claim, text, unit):
    c = one_claim(text)
    assert c.unit == unit
    assert c.info == units.unit_info(unit)


def test_wan_yuan_and_yi_yuan_convert_to_the_same_base(one_claim, ureg):
    a = one_claim("扶持资金3541.07万元")
    b = one_claim("总投资0.35亿元")
    assert a.info.base == b.info.base == "元"
    assert a.info.dim == b.info.dim == "[money]"
    assert a.base_value() == D("35410700")
    assert b.base_value() == D("35000000")
    # the same through pint itself
    qa = ureg.Quantity(D("3541.07"), "万元").to_base_units()
    qb = ureg.Quantity(D("0.35"), "亿元").to_base_units()
    assert qa.units == qb.units
    assert qa.magnitude == a.base_value() and qb.magnitude == b.base_value()


def test_table_agrees_with_pint(ureg):
    """Every unit in the table converts in pint to the same base with the same factor."""
    for name, info in units.table().items():
        q = ureg.Quantity(D(1), name).to_base_units()
        assert abs(D(q.magnitude) - info.factor) <= abs(info.factor) * D("1e-20"), name
        if info.dim:
            assert format(q.units, "~") == info.base, name


def test_registry_has_no_pint_defaults(ureg):
    """The registry is built from our file alone: pint's own units are not in it."""
    import pint

    for name in ("meter", "second", "dollar"):
        with pytest.raises(pint.errors.UndefinedUnitError):
            ureg.Quantity(1, name)


def test_a_run_does_not_import_pint(seeds_dir):
    """The cached table is used on the run path; pint is only needed to rebuild it."""
    code = (
        "import sys\n"
        "from factcheck.documents import read_document\n"
        "from factcheck.extract import extract\n"
        f"doc = read_document({str(seeds_dir / '000_3e47b0061565aec6.txt')!r})\n"
        "assert len(extract(doc)) > 10\n"
        "print('pint' in sys.modules)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
