"""Shared steps of the browser tests."""

PASSWORD = "a-Long-passw0rd!"


def sign_in(page, base_url: str, email: str, password: str = PASSWORD) -> None:
    """Sign in through the login page, as a person would, after dropping any earlier session."""
    page.context.clear_cookies()
    page.goto(base_url + "/accounts/login/")
    page.get_by_label("Email address").fill(email)
    page.get_by_label("Password").fill(password)
    page.get_by_role("button", name="Sign in").click()
