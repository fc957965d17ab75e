import pytest
from django.test import Client
from hiring.permissions import ADMIN, HIRING_MANAGER
from tests import factories

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("playbook")]


def test_smoke() -> None:
    admin = factories.UserFactory(roles=[ADMIN])
    req = factories.requisition()
    c = Client()
    c.force_login(admin)
    for url in ["/offers/approval-templates/", "/offers/approval-templates/default/",
                f"/offers/approval-templates/requisitions/{req.pk}/",
                f"/offers/approval-templates/requisitions/{req.pk}/?own=1",
                f"/requisitions/{req.pk}/board/", "/offers/"]:
        r = c.get(url)
        assert r.status_code == 200, (url, r.content[:3000])
    r = c.get("/offers/approval-templates/default/")
    html = r.content.decode()
    open("/tmp/default.html", "w").write(html)
    seen = r.context["seen"]
    data = {"seen": seen, "count": "2", "action": "add",
            "step-0-name": "Hiring manager", "step-0-source": "hiring_manager", "step-0-required": "1",
            "step-1-name": "Finance/HR", "step-1-source": "finance", "step-1-required": "1"}
    r = c.post("/offers/approval-templates/default/", data, HTTP_HX_REQUEST="true")
    assert r.status_code == 200
    assert 'name="step-2-name"' in r.content.decode()
    data.update({"count": "3", "action": "save", "step-2-name": "Pair", "step-2-source": "people",
                 "step-2-people": [str(admin.pk)], "step-2-required": "3"})
    r = c.post("/offers/approval-templates/default/", data)
    assert r.status_code == 400
    open("/tmp/err.html", "w").write(r.content.decode())
    assert "At most 1" in r.content.decode()
    data["step-2-required"] = "1"
    r = c.post("/offers/approval-templates/default/", data)
    assert r.status_code == 302, r.content.decode()[:3000]
    r = c.get(f"/requisitions/{req.pk}/board/")
    assert "Company default" in r.content.decode()
    open("/tmp/board.html", "w").write(r.content.decode())
