"""The redaction rules (models/redaction.py), each alone and together; expected texts written
out by hand."""

import pytest

from models.redaction import (
    id_number_valid,
    mask_emails,
    mask_id_numbers,
    mask_names,
    mask_phones,
    mask_plates,
    redact,
)

# GB 11643's own example; weights sum 167, 167 mod 11 = 2, "10X98765432"[2] = "X".
VALID_ID = "11010519491231002X"
# 28+36+0+25+16+16+2+8+48+0+0+9+0+5+0+0+2 = 195, 195 mod 11 = 8, "10X98765432"[8] = "4".
OTHER_VALID_ID = "440524188001010014"


@pytest.mark.parametrize("number, valid", [
    (VALID_ID, True),
    (OTHER_VALID_ID, True),
    ("44052418800101001X", False),  # its check character is 4
    ("11010519491231002x", True),
    ("110105194912310021", False),  # same digits, wrong check character
    ("11010519491231002", False),  # 17 characters
    ("1101051949123100２X", False),  # a full-width digit is not a digit of an ID number
    ("X10105194912310021", False),
])
def test_the_check_character_decides_whether_a_number_is_an_id(number, valid):
    assert id_number_valid(number) is valid


def test_id_numbers_with_a_valid_check_character_are_masked_and_others_kept():
    assert mask_id_numbers(f"身份证{VALID_ID}、{OTHER_VALID_ID}，订单号110105194912310021。") == (
        "身份证[身份证号]、[身份证号]，订单号110105194912310021。")
    # Glued to more digits it is part of a longer number, not an ID number.
    assert mask_id_numbers(f"流水9{VALID_ID}") == f"流水9{VALID_ID}"


def test_mobile_and_landline_numbers_are_masked():
    text = ("手机13800138000，又138 0013 8000，+86 13912345678，19912345678，"
            "座机010-12345678或075512345678。")
    assert mask_phones(text) == "手机[电话]，又[电话]，[电话]，[电话]，座机[电话]或[电话]。"


def test_numbers_that_are_not_phones_stay():
    text = "第12345号文件，面积1200平方米，编号23800138000"
    assert mask_phones(text) == text


def test_email_addresses_are_masked():
    assert mask_emails("请回复 zhang.san+x@mail.example.com.cn 谢谢") == "请回复 [邮箱] 谢谢"


def test_car_plates_including_new_energy_ones_are_masked():
    text = "车牌京A12345停在门口，另一辆粤B·D12345和粤BD12345，还有沪C1234警。"
    assert mask_plates(text) == "车牌[车牌]停在门口，另一辆[车牌]和[车牌]，还有[车牌]。"


def test_the_contact_name_is_masked_longest_first_and_single_characters_are_not():
    assert mask_names("欧阳明日和欧阳说", ["欧阳", "欧阳明日", "王"]) == "[姓名]和[姓名]说"
    assert mask_names("王先生来过", ["王"]) == "王先生来过"
    assert mask_names("张三来过", ["", "  "]) == "张三来过"


def test_redact_applies_every_rule_to_one_letter():
    letter = (f"我叫张三，身份证{VALID_ID}，电话13800138000，邮箱zs@example.com，"
              "车辆京A12345被贴条。张三")
    assert redact(letter, ["张三"]) == (
        "我叫[姓名]，身份证[身份证号]，电话[电话]，邮箱[邮箱]，车辆[车牌]被贴条。[姓名]")


def test_redact_of_nothing_is_nothing():
    assert redact("", ["张三"]) == ""
    assert redact(None) == ""
