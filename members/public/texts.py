"""Strings with parameters of the public Jinja2 templates, declared here so that ``make messages``
extracts them (its template reader only takes ``_("…")`` without parameters); the templates translate
them with ``_("…", name=value)``."""

from django.utils.translation import gettext_noop

PROFILE = [
    gettext_noop("自 %(d)s 起为公约签署成员。"),
    gettext_noop("自 %(d)s 起不再是公约签署成员。"),
    gettext_noop("成员资格将于 %(d)s 结束（%(k)s），在此之前仍为公约签署成员。"),
    gettext_noop("%(d)s 当日状态："),
    gettext_noop("当日登记名称：%(n)s"),
    gettext_noop("原登记“%(n)s”已被更正取代"),
    gettext_noop("已被 %(d)s 的取消成员资格取代，未生效"),
    gettext_noop("%(d)s 更正"),
    gettext_noop("%(d)s 取消成员资格"),
]
