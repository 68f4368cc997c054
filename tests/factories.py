"""Factories for the register. Codes are valid GB 32100 codes built from a counter."""

from __future__ import annotations

import itertools
from datetime import date

import factory
from django.contrib.auth import get_user_model
from django.core.files.uploadedfile import SimpleUploadedFile

from members import services
from members import uscc as uscc_rules
from members.demo import blank_pdf
from members.models import Document, JoinApplication, Organisation, Representative
from tests.helpers import act, for_org

_counter = itertools.count(1)

def _png_bytes() -> bytes:
    import io

    from PIL import Image

    buf = io.BytesIO()
    Image.new("RGBA", (1, 1), (0, 0, 0, 0)).save(buf, format="PNG")
    return buf.getvalue()


# A real 1×1 PNG (uploaded images are decoded and re-encoded, so it must decode).
PNG_BYTES = _png_bytes()


def valid_uscc(n: int | None = None, prefix: str = "91", division: str = "110108") -> str:
    n = next(_counter) if n is None else n
    return uscc_rules.make(prefix, division, f"{n:08d}")


def uscc_with_wrong_check_character(n: int | None = None) -> str:
    """One valid code whose 18th character is replaced by another one, so only the final check fails."""
    code = valid_uscc(n)
    wrong = uscc_rules.ALPHABET[(uscc_rules.ALPHABET.index(code[17]) + 1) % len(uscc_rules.ALPHABET)]
    bad = code[:17] + wrong
    assert not uscc_rules.check(bad).valid
    return bad


def pdf_bytes(text: str = "sealed page") -> bytes:
    return blank_pdf(text)


def upload(name: str = "page.pdf", content: bytes | None = None, content_type: str = "application/pdf"):
    return SimpleUploadedFile(name, content if content is not None else pdf_bytes(), content_type=content_type)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = get_user_model()
        django_get_or_create = ("username",)
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"user{n}@example.org")
    email = factory.LazyAttribute(lambda o: o.username)
    @factory.post_generation
    def password(obj, create, extracted, **kwargs):  # noqa: N805 - factory_boy's signature
        obj.set_password(extracted or "correct-horse-battery")
        if create:
            obj.save(update_fields=["password"])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    uscc = factory.LazyFunction(valid_uscc)
    name = factory.Sequence(lambda n: f"北京测试科技有限公司{n}")
    name_en = factory.Sequence(lambda n: f"Beijing Test Technology Co., Ltd. {n}")
    roles = "developer"
    region = "110000"
    contact_name = factory.Sequence(lambda n: f"联系人{n}")
    contact_phone = factory.Sequence(lambda n: f"1380000{n:04d}")
    contact_email = factory.Sequence(lambda n: f"contact{n}@private.example.org")


def make_representative(org: Organisation, email: str | None = None):
    user = UserFactory(username=email) if email else UserFactory()
    Representative.objects.create(user=user, organisation=org, is_primary=not org.representatives.exists())
    return user


def make_application(org: Organisation | None = None, user=None, *, documents: bool = True) -> JoinApplication:
    """A draft application with both documents (unless ``documents`` is False)."""
    org = org or OrganisationFactory()
    app = JoinApplication.objects.create(organisation=org, created_by=user)
    if documents:
        for kind in (Document.Kind.BUSINESS_LICENCE, Document.Kind.SEALED_PAGE):
            services.document_upload(act(user), organisation=org, kind=kind, upload=upload(), application=app)
    return app


def make_signatory(org: Organisation | None = None, *, on: date | None = None, staff=None,
                   reason: str = "test") -> Organisation:
    """An organisation whose membership started on ``on`` (through the service, so events exist)."""
    from tests.clockwork import at

    org = org or OrganisationFactory()
    on = on or date(2025, 1, 15)
    with at(on):  # a membership starts on its approval day: approve it then
        services.membership_start(act(staff), org, effective_date=on, reason=reason)
    org.refresh_from_db()
    return org


def withdraw(org: Organisation, on: date, *, staff=None, reason: str = "", requested_date: date | None = None):
    """File and acknowledge a withdrawal on ``on`` (the clock moved there), effective that day."""
    from tests.clockwork import at

    with at(on):
        notice = services.withdrawal_file(for_org(org), org, reason=reason, requested_date=requested_date)
        return services.withdrawal_acknowledge(act(staff), notice, effective_date=on)


def revoke(org: Organisation, on: date, *, staff=None, reason: str = "r", public_notice: str = "通报"):
    """Revoke on the day it is decided (the clock moved there)."""
    from tests.clockwork import at

    with at(on):
        return services.membership_revoke(act(staff), org, reason=reason, public_notice=public_notice,
                                          effective_date=on)
