"""An organiser adds a facilitator and hands over an address that works on the new facilitator's own
laptop, copied with one press."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from facilitate.links import lan_address
from facilitate.models import Role
from tests.support.browsers import axe_violations, sign_in
from tests.support.factories import PASSWORD, make_user


@pytest.mark.parametrize("size", ["phone", "laptop"])
def test_new_account_shows_a_sign_in_address_for_another_laptop_with_copy(
    server, new_page, size, tmp_path
):
    email = f"olive-{size}@example.org"
    with server.app_context():
        make_user(Role.ORGANISER, email=email, name="Olive Organiser")
    page = new_page(size, permissions=["clipboard-read", "clipboard-write"])
    sign_in(page, server.url, email, PASSWORD)
    page.goto(server.url + "/people")
    page.get_by_label("Name").fill("Andy Facilitator")
    page.get_by_label("Email").fill(f"andy-{size}@example.org")
    page.get_by_role("button", name="Create account").click()
    expect(page.get_by_role("heading", name="Account created for Andy Facilitator")).to_be_visible()

    address = page.locator("#new-sign-in")
    # The browser is on 127.0.0.1, which on the new facilitator's laptop is their own machine.
    expect(address).not_to_contain_text("127.0.0.1")
    expect(address).to_have_text(f"http://{lan_address()}:{server.port}/login")
    copy = page.locator("button[data-copy=new-sign-in]")
    expect(copy).to_have_accessible_name("Copy the address")
    box = copy.bounding_box()
    assert box["height"] >= 44
    assert box["width"] >= 44
    copy.click()
    expect(copy).to_have_text("Copied")
    assert page.evaluate("navigator.clipboard.readText()") == address.inner_text()
    page.get_by_role("button", name="Copy the password").click()
    password = page.locator("#new-password").inner_text()
    assert page.evaluate("navigator.clipboard.readText()") == password
    assert axe_violations(page) == []
    page.screenshot(path=str(tmp_path / f"people-{size}.png"), full_page=True)
    assert page.errors == []
