"""End to end in a real browser: Debian's headless Chromium driven by Playwright against the chat
served by uvicorn on 127.0.0.1. Uploads an article carrying XSS, asks, opens a source, rates the
answer, asks a follow-up, and checks that nothing runs and no request leaves 127.0.0.1."""

from __future__ import annotations

import os
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from assistant.feedback import FeedbackStore
from assistant.server.middleware import hash_password
from assistant.settings import Settings

CHROMIUM = Path("/usr/bin/chromium")
ARTIFACTS = Path(__file__).resolve().parent / "artifacts"
ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
TIMEOUT_MS = 90_000
XSS_ARTICLE = (
    "营口知识产权工作<script>window.__xss = 1</script>\n"
    '营口市2024年知识产权质押融资金额达到5.5亿元<img src=x onerror="window.__xss = 2">,同比增长30%(详见https://scjgj.yingkou.gov.cn/zscq/2024.html)。'
    "![pixel](http://evil.example/pixel.png)\n"
    '营口市有效发明专利拥有量达到2100件<svg onload="window.__xss = 3"></svg>。\n'
)

pytestmark = [pytest.mark.browser, pytest.mark.slow]


@pytest.fixture(scope="module")
def browser() -> Iterator[object]:
    if not CHROMIUM.exists():
        message = f"{CHROMIUM} is missing (apt-get install chromium)"
        if os.environ.get("CI") == "true":
            pytest.fail(message)  # CI installs it: its absence is a failure there, not a skip
        pytest.skip(message)
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), args=ARGS, headless=True)
        yield browser
        browser.close()


def _server_settings(bundled_index: Path, tmp_path: Path, **server: object) -> Settings:
    folder = tmp_path / "data"
    shutil.copytree(bundled_index, folder)
    return Settings(data_dir=folder, server=server)


def _guard_network(page, outside: list[str]) -> None:
    """Every request must go to 127.0.0.1; others are recorded and aborted."""

    def route(r) -> None:
        if urlsplit(r.request.url).hostname == "127.0.0.1" or r.request.url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            outside.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on(
        "request",
        lambda req: (
            None
            if urlsplit(req.url).hostname in ("127.0.0.1", None) or req.url.startswith(("data:", "blob:"))
            else outside.append(req.url)
        ),
    )


def _bot_messages(page) -> int:
    return page.locator('#ipa-chat [data-testid="bot"]').count()


def _ask(page, question: str) -> None:
    before = _bot_messages(page)
    page.fill("#ipa-question textarea", question)
    page.click("#ipa-send")
    page.wait_for_function(
        """n => document.querySelectorAll('#ipa-chat [data-testid="bot"]').length > n
             && !document.querySelector('#ipa-chat [data-testid="bot"]:last-of-type')?.innerText.endsWith('…')
             && document.querySelector('#ipa-sources details')""",
        arg=before,
        timeout=TIMEOUT_MS,
    )
    page.wait_for_timeout(500)  # the final update (sources) lands after the last text piece


def test_chat_in_a_real_browser(browser, bundled_index: Path, tmp_path: Path):
    from assistant.server import create_app, running

    settings = _server_settings(bundled_index, tmp_path)
    article = tmp_path / "yingkou-2024.txt"
    article.write_text(XSS_ARTICLE, encoding="utf-8")
    outside: list[str] = []
    with running(create_app(settings)) as url:
        page = browser.new_page(locale="en-US", viewport={"width": 1280, "height": 1100})
        _guard_network(page, outside)
        page.goto(url)
        page.wait_for_selector("#ipa-send", timeout=TIMEOUT_MS)

        # Upload the article carrying script, event-handler and remote-image markup.
        page.get_by_role("tab", name="Documents").click()
        page.set_input_files("#ipa-files input[type=file]", str(article))
        page.wait_for_timeout(1000)
        page.click("#ipa-add")
        page.wait_for_function(
            "document.querySelector('#ipa-docs-status textarea').value.includes('indexed')",
            timeout=TIMEOUT_MS,
        )
        assert "<script>" in page.inner_text("#ipa-docs")  # the title is shown as text

        # Ask; the answer streams into the chat with [n] markers and the sources panel fills.
        page.get_by_role("tab", name="Chat").click()
        _ask(page, "大连有效商标注册量是多少?")
        answer = page.locator('#ipa-chat [data-testid="bot"]').last.inner_text()
        assert "[1]" in answer and "商标" in answer
        sources = page.locator("#ipa-sources details.ipa-source")
        assert sources.count() >= 1

        # Open a source: the quoted sentence is highlighted inside its surrounding text.
        sources.first.locator("summary").click()
        mark = sources.first.locator("mark")
        mark.wait_for(state="visible", timeout=TIMEOUT_MS)
        context = sources.first.locator(".ipa-context").inner_text()
        assert mark.inner_text() in answer.replace("\n", "") or mark.inner_text()[:20] in answer
        assert len(context) > len(mark.inner_text())

        # Rate it, then add a comment; both land in the feedback store.
        page.locator('#ipa-chat button[aria-label="Like"]').last.click()
        page.wait_for_function(
            "document.querySelector('#ipa-feedback textarea').value.includes('Thanks')", timeout=TIMEOUT_MS
        )
        page.fill("#ipa-comment textarea", "clear and cited")
        page.click("#ipa-send-comment")
        # The rating's own message ("…feedback was saved.") also says saved: wait for the comment's.
        page.wait_for_function(
            "document.querySelector('#ipa-feedback textarea').value.includes('Comment saved')",
            timeout=TIMEOUT_MS,
        )
        rows = list(FeedbackStore.in_data_dir(settings.data_dir).rows())
        assert rows and rows[-1]["rating"] == 1 and rows[-1]["comment"] == "clear and cited"
        assert rows[-1]["question"] == "大连有效商标注册量是多少?" and rows[-1]["citations"]

        # A follow-up is understood from the previous turn; the searched question is shown.
        _ask(page, "那长沙呢?")
        searched = page.locator("#ipa-sources .ipa-searched-q").inner_text()
        assert ("长沙" in searched or "長沙" in searched) and "商标" in searched

        # The uploaded article's markup stays text: nothing runs, no image loads, no request leaves.
        _ask(page, "营口市知识产权质押融资金额是多少?")
        # The address in the article is a link of its own (no stray backslash); what is left of the
        # image markup ("!") is never quoted as an answer sentence.
        reply = page.locator('#ipa-chat [data-testid="bot"]').last
        assert reply.locator("a").get_attribute("href") == "https://scjgj.yingkou.gov.cn/zscq/2024.html"
        assert "\\" not in reply.inner_text()
        for line in reply.inner_text().splitlines():
            assert re.search(r"[^\W_]", re.sub(r"\[\d+\]", "", line)) or not line.strip(), line
        panel = page.locator("#ipa-sources")
        panel.locator("details summary").first.click()
        shown = panel.inner_text()
        assert "<img src=x" in shown and "5.5亿元" in shown
        page.wait_for_timeout(1000)
        assert page.evaluate("window.__xss") is None
        assert page.locator("#ipa-sources img, #ipa-chat .message-content img, #ipa-docs img").count() == 0
        assert page.locator("#ipa-sources script, #ipa-sources svg[onload]").count() == 0

        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "e2e-chat.png"), full_page=True)

        # Remove the article again from the Documents tab; its full text was shown before.
        page.get_by_role("tab", name="Documents").click()
        page.click("#ipa-doc input")
        page.get_by_role("option", name="yingkou-2024").click()
        page.wait_for_function(
            "document.querySelector('#ipa-doc-text textarea').value.includes('5.5亿元')", timeout=TIMEOUT_MS
        )
        page.click("#ipa-remove")
        page.wait_for_function(
            "document.querySelector('#ipa-docs-status textarea').value.includes('removed')",
            timeout=TIMEOUT_MS,
        )
        assert "yingkou-2024" not in page.inner_text("#ipa-docs")
        page.get_by_role("tab", name="Chat").click()

        # UI text switches to Chinese.
        page.get_by_text("中文", exact=True).click()
        page.get_by_role("tab", name="文档").wait_for(timeout=TIMEOUT_MS)

        page.get_by_role("tab", name="问答").click()
        page.screenshot(path=str(ARTIFACTS / "e2e-chat-zh.png"), full_page=True)
        page.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"


def test_login_form_opens_the_chat(browser, bundled_index: Path, tmp_path: Path):
    from assistant.server import create_app, running

    settings = _server_settings(
        bundled_index, tmp_path, users={"alice": hash_password("pw-123456", rounds=4)}
    )
    outside: list[str] = []
    with running(create_app(settings)) as url:
        page = browser.new_page(locale="zh-CN")
        _guard_network(page, outside)
        page.goto(url)
        page.fill("input[name=username]", "alice")
        page.fill("input[name=password]", "wrong")
        page.click("button[type=submit]")
        page.wait_for_function("document.getElementById('err').textContent.length > 0", timeout=TIMEOUT_MS)
        page.fill("input[name=password]", "pw-123456")
        page.click("button[type=submit]")
        page.wait_for_selector("#ipa-send", timeout=TIMEOUT_MS)
        page.get_by_role("tab", name="问答").wait_for(timeout=TIMEOUT_MS)  # browser language: Chinese
        page.close()
    assert outside == []


def test_figures_tab_in_a_real_browser(browser, bundled_index: Path, tmp_path: Path):
    from assistant.server import create_app, running

    settings = _server_settings(bundled_index, tmp_path)
    outside: list[str] = []
    with running(create_app(settings)) as url:
        page = browser.new_page(locale="en-US", viewport={"width": 1280, "height": 1200})
        _guard_network(page, outside)
        page.goto(url)
        page.wait_for_selector("#ipa-send", timeout=TIMEOUT_MS)

        # The tab lists the figures of the indexed articles.
        page.get_by_role("tab", name="Figures · 数据").click()
        page.wait_for_function(
            "document.querySelector('#ipa-figures').innerText.includes('achieved')",
            timeout=TIMEOUT_MS,
        )

        # Filtered by measure (in Traditional): both sources' differing figures, side by side.
        page.fill("#ipa-fig-measure textarea", "有效商標註冊量")
        page.click("#ipa-fig-filter")
        page.wait_for_function(
            "document.querySelectorAll('#ipa-fig-compare h4').length == 1"
            " && document.querySelector('#ipa-fig-compare').innerText.includes('137748')",
            timeout=TIMEOUT_MS,
        )
        table = page.inner_text("#ipa-figures")
        assert "137748件" in table and "13.8万件" in table
        compare = page.inner_text("#ipa-fig-compare")
        assert "13.8万件" in compare and "2021" in compare
        assert "全国公示" in compare and "知识产权宣传周" in compare  # both sources are named

        # A row opens its passage, the figure's sentence highlighted in its context.
        cells = page.locator("#ipa-figures").get_by_text("137748件", exact=True)
        next(cells.nth(i) for i in range(cells.count()) if cells.nth(i).is_visible()).click()
        mark = page.locator("#ipa-fig-passage mark")
        mark.wait_for(state="visible", timeout=TIMEOUT_MS)
        assert "137748件" in mark.inner_text()
        ARTIFACTS.mkdir(exist_ok=True)
        page.screenshot(path=str(ARTIFACTS / "e2e-figures.png"), full_page=True)

        # Filtered by place and year: Changsha's 2024 figures only.
        page.fill("#ipa-fig-measure textarea", "")
        page.fill("#ipa-fig-place textarea", "长沙")
        page.fill("#ipa-fig-year textarea", "2024")
        page.click("#ipa-fig-filter")
        page.wait_for_function(
            "document.querySelector('#ipa-figures').innerText.includes('72.42件')"
            " && !document.querySelector('#ipa-figures').innerText.includes('137748')",
            timeout=TIMEOUT_MS,
        )
        shown = page.inner_text("#ipa-figures")
        assert "7.61萬件" in shown and "2025" not in shown.replace("2025-02", "")
        page.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
