from playwright.sync_api import Page
from hiring.permissions import ADMIN, HIRING_MANAGER, RECRUITER
from roles.playbook import playbook_load
from tests import factories
from tests.factories import UserFactory


def test_shots(page: Page, log_in) -> None:
    playbook_load()
    UserFactory(roles=[HIRING_MANAGER], first_name="Ada", last_name="Lovelace")
    UserFactory(roles=[RECRUITER], first_name="Ben", last_name="Okri")
    log_in(ADMIN, first_name="Adm", last_name="In")
    req = factories.requisition(title="Platform engineer")
    for w in (1280, 390):
        page.set_viewport_size({"width": w, "height": 900})
        page.goto("/offers/approval-templates/default/")
        page.get_by_role("button", name="Add step").click()
        page.get_by_test_id("editor-step-3").get_by_label("Approvals needed").fill("3")
        page.get_by_role("button", name="Save template").click()
        page.wait_for_timeout(300)
        page.screenshot(path=f"/tmp/shot-editor-{w}.png", full_page=True)
        page.goto("/offers/approval-templates/")
        page.screenshot(path=f"/tmp/shot-list-{w}.png", full_page=True)
        page.goto(f"/offers/approval-templates/requisitions/{req.pk}/")
        page.screenshot(path=f"/tmp/shot-req-{w}.png", full_page=True)
        page.goto(f"/requisitions/{req.pk}/board/")
        page.screenshot(path=f"/tmp/shot-board-{w}.png", full_page=True)
        print(w, page.evaluate("document.documentElement.scrollWidth"))
