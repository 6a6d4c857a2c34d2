import pytest
from django.db import connection

from dangjian.core import crypto
from dangjian.people.models import Person
from tests.factories import PersonFactory


def test_round_trip_and_fresh_nonce():
    a, b = crypto.encrypt("11010519491231002X"), crypto.encrypt("11010519491231002X")
    assert a != b  # a new nonce each time: equal numbers do not show as equal
    assert crypto.decrypt(a) == crypto.decrypt(b) == "11010519491231002X"


def test_tampered_ciphertext_is_refused():
    token = crypto.encrypt("13912345678")
    raw = bytearray(__import__("base64").b64decode(token.split(":", 1)[1]))
    raw[14] ^= 1
    forged = "sm4gcm1:" + __import__("base64").b64encode(bytes(raw)).decode()
    with pytest.raises(ValueError, match="authentication"):
        crypto.decrypt(forged)


def test_wrong_key_cannot_read(settings):
    token = crypto.encrypt("13912345678")
    settings.FIELD_KEY = "00112233445566778899aabbccddeeff"
    with pytest.raises(ValueError):
        crypto.decrypt(token)


def test_digest_is_keyed_and_stable(settings):
    first = crypto.digest("11010519491231002X")
    assert first == crypto.digest("11010519491231002X")
    settings.FIELD_KEY = "00112233445566778899aabbccddeeff"
    assert crypto.digest("11010519491231002X") != first


def test_key_of_wrong_length_is_refused(settings):
    settings.FIELD_KEY = "abcd"
    with pytest.raises(ValueError, match="32 hex"):
        crypto.encrypt("x")


@pytest.mark.django_db
def test_numbers_are_stored_encrypted(two_hospitals):
    _, (hospital, branch, _), _ = two_hospitals
    person = PersonFactory(organization=branch, id_number="11010519491231002X", phone="13912345678")
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_number, phone FROM people_person WHERE id = %s", [person.pk])
        stored_id, stored_phone = cursor.fetchone()
    assert "11010519491231002X" not in stored_id and stored_id.startswith("sm4gcm1:")
    assert "13912345678" not in stored_phone
    reloaded = Person.objects.get(pk=person.pk)
    assert reloaded.id_number == "11010519491231002X"
    assert reloaded.id_number_masked == "110105********002X"
    assert reloaded.phone_masked == "139****5678"
