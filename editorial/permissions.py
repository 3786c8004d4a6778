"""Which languages a user may translate into: those whose tree they may add pages to.

Editors and moderators hold their page permissions on the root, so every language; a translators group holds them
on its language's home page, so that language only. Wagtail's tree-based permissions already refuse a translator
any page outside that tree (and wagtail-localize's string, PO and machine-translation views check the target page);
what wagtail-localize checks only globally, starting and syncing translations, is narrowed here.
"""

from wagtail.models import Locale, Page

from home.models import HomePage


def locales_user_can_translate_into(user) -> set[int]:
    if user.is_superuser:
        return set(Locale.objects.values_list("pk", flat=True))
    homes = {home.locale_id: home for home in HomePage.objects.all()}
    root = Page.get_first_root_node()
    allowed = set()
    for locale_id in Locale.objects.values_list("pk", flat=True):
        home = homes.get(locale_id)
        target = home if home is not None else root
        if target.permissions_for_user(user).can_add_subpage():
            allowed.add(locale_id)
    return allowed
