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
    """Ask and wait for the whole answer: the sources panel says which question it shows once the
    answer's last update (text and sources together) has arrived."""
    before = _bot_messages(page)
    page.fill("#ipa-question textarea", question)
    page.click("#ipa-send")
    page.wait_for_function(
        """([n, q]) => document.querySelectorAll('#ipa-chat [data-testid="bot"]').length > n
             && document.querySelector('#ipa-sources .ipa-sources')?.dataset.question === q""",
        arg=[before, question],
        timeout=TIMEOUT_MS,
    )


def _app(settings: Settings):
    """The server's app, warmed up as `serve` does before it listens (`running` does not)."""
    from assistant.server import create_app
    from assistant.warmup import warm_up

    app = create_app(settings)
    warm_up(app.state.assistant)
    return app


def test_chat_in_a_real_browser(browser, bundled_index: Path, tmp_path: Path):
    from assistant.server import running

    settings = _server_settings(bundled_index, tmp_path)
    article = tmp_path / "yingkou-2024.txt"
    article.write_text(XSS_ARTICLE, encoding="utf-8")
    outside: list[str] = []
    with running(_app(settings)) as url:
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
        sources.first.locator("summary").first.click()
        mark = sources.first.locator(".ipa-context mark")
        mark.wait_for(state="visible", timeout=TIMEOUT_MS)
        context = sources.first.locator(".ipa-context").inner_text()
        # The answer quotes the sentence, or (a figure asked for) the clause of it that holds the figure.
        said = answer.split("[1]")[0].strip()
        assert mark.inner_text() in answer.replace("\n", "") or said in mark.inner_text()
        assert len(context) > len(mark.inner_text())

        # Rate it, then add a comment; both land in the feedback store.
        page.locator('#ipa-chat button[aria-label="Like"]').last.click()
        page.wait_for_function(
            "document.querySelector('#ipa-feedback textarea')?.value.includes('Thanks')", timeout=TIMEOUT_MS
        )
        page.fill("#ipa-comment textarea", "clear and cited")
        page.click("#ipa-send-comment")
        # The rating's own message ("…feedback was saved.") also says saved: wait for the comment's.
        page.wait_for_function(
            "document.querySelector('#ipa-feedback textarea')?.value.includes('Comment saved')",
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

        # And to Traditional Chinese (read from the Simplified texts through OpenCC): the tabs, the
        # earlier messages, the sources and the footer follow; no Simplified UI text is left.
        page.get_by_text("繁體中文", exact=True).click()
        page.get_by_role("tab", name="文檔").wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function("document.querySelector('#ipa-chat').innerText.includes('實際檢索')")
        assert "实际检索" not in page.inner_text("#ipa-chat")
        assert "來源" in page.inner_text("#ipa-sources h3") and "說明文檔" in page.inner_text("#ipa-footer")
        assert page.get_by_role("tab", name="問答").count() == 1
        page.screenshot(path=str(ARTIFACTS / "e2e-chat-hant.png"), full_page=True)
        page.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"


def test_a_traditional_chinese_browser_gets_the_page_in_traditional(
    browser, bundled_index: Path, tmp_path: Path
):
    from assistant.server import create_app, running

    outside: list[str] = []
    with running(create_app(_server_settings(bundled_index, tmp_path))) as url:
        page = browser.new_page(locale="zh-TW")  # Accept-Language: zh-TW
        _guard_network(page, outside)
        page.goto(url)
        page.wait_for_selector("#ipa-send", timeout=TIMEOUT_MS)
        page.get_by_role("tab", name="問答").wait_for(timeout=TIMEOUT_MS)
        assert page.get_by_label("繁體中文", exact=True).is_checked()
        assert "回答的來源顯示在這裏" in page.inner_text("#ipa-sources")
        page.get_by_role("tab", name="數據").wait_for(timeout=TIMEOUT_MS)  # the figures tab follows
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
        # The logout button ends the session: the login form again, and the chat needs a new login.
        page.locator("#ipa-logout").click()
        page.wait_for_selector("input[name=username]", timeout=TIMEOUT_MS)
        page.goto(url)
        page.wait_for_selector("input[name=username]", timeout=TIMEOUT_MS)
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
        page.get_by_role("tab", name="Figures").click()
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
        mark = page.locator("#ipa-fig-passage .ipa-context mark")
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

        # The tab follows the page's language switch: its name, filters, headers and kinds.
        page.get_by_text("中文", exact=True).click()
        page.get_by_role("tab", name="数据").wait_for(timeout=TIMEOUT_MS)
        page.wait_for_function(
            "document.querySelector('#ipa-figures').innerText.includes('指标')"
            " && document.querySelector('#ipa-figures').innerText.includes('实际')",
            timeout=TIMEOUT_MS,
        )
        assert page.get_by_label("地点").count() == 1
        page.screenshot(path=str(ARTIFACTS / "e2e-figures-zh.png"), full_page=True)
        page.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"


# -- issue 15, the chat as a person sees it: refusals, sources, dark mode, a phone, the page's language

STREAMED = """() => {
    window.__shown = [];
    new MutationObserver(() => {
        const bots = document.querySelectorAll('#ipa-chat [data-testid="bot"]');
        const text = bots.length ? bots[bots.length - 1].innerText : '';
        if (window.__shown[window.__shown.length - 1] !== text) window.__shown.push(text);
    }).observe(document.querySelector('#ipa-chat'), {subtree: true, childList: true, characterData: true});
}"""
# WCAG contrast of a highlighted quote: its text colour against its background.
CONTRAST = """(el) => {
    const rgb = (c) => c.match(/[0-9.]+/g).slice(0, 3).map(Number);
    const lum = (c) => { const v = rgb(c).map(x => { x /= 255;
        return x <= 0.03928 ? x / 12.92 : Math.pow((x + 0.055) / 1.055, 2.4); });
        return 0.2126 * v[0] + 0.7152 * v[1] + 0.0722 * v[2]; };
    const s = getComputedStyle(el);
    const [a, b] = [lum(s.color), lum(s.backgroundColor)].sort((x, y) => y - x);
    return (a + 0.05) / (b + 0.05);
}"""
# Latin words of the title that a line break splits (the title broke "assistan/t" at 390 px).
SPLIT_WORDS = """() => {
    const h = document.querySelector('#ipa-title h2'); const node = h.firstChild; const out = [];
    for (const m of node.textContent.matchAll(/[A-Za-z]+/g)) {
        const r = document.createRange(); r.setStart(node, m.index); r.setEnd(node, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].map(x => Math.round(x.top)));
        if (tops.size > 1) out.push(m[0]);
    }
    return out;
}"""


def _visible(page, selector: str) -> bool:
    return page.locator(selector).first.is_visible()


def test_chat_as_a_person_sees_it_light_dark_and_on_a_phone(browser, bundled_index: Path, tmp_path: Path):
    from assistant.server import running

    app = _app(_server_settings(bundled_index, tmp_path))
    outside: list[str] = []
    ARTIFACTS.mkdir(exist_ok=True)
    with running(app) as url:
        page = browser.new_page(locale="zh-CN", viewport={"width": 1280, "height": 1000})
        _guard_network(page, outside)
        page.goto(url)
        page.wait_for_selector("#ipa-send", timeout=TIMEOUT_MS)
        # Chinese browser: no English on the page before anything is asked; nothing about feedback yet.
        page.wait_for_function("document.querySelector('#ipa-sources').innerText.includes('来源')")
        assert "Sources" not in page.inner_text("#ipa-sources") and "接口" in page.inner_text("#ipa-footer")
        assert not _visible(page, "#ipa-comment") and not _visible(page, "#ipa-feedback")

        # The answer streams in: the chat shows it growing before it is complete.
        page.evaluate(STREAMED)
        _ask(page, "大连有效商标注册量是多少?")
        shown = page.evaluate("window.__shown")
        final = page.locator('#ipa-chat [data-testid="bot"]').last.inner_text()
        partial = [t for t in shown if t not in ("", "…", final)]  # the message before it was complete
        assert len(partial) >= 2, shown
        assert _visible(page, "#ipa-comment") and not _visible(page, "#ipa-feedback")

        # A source shows a few sentences, and the whole document opens at the highlighted passage.
        source = page.locator("#ipa-sources details.ipa-source").first
        source.locator("summary").first.click()
        context = source.locator(".ipa-context")
        assert context.bounding_box()["height"] < 400 and len(context.inner_text()) < 700
        source.locator("details.ipa-whole summary").click()
        box = source.locator(".ipa-doc")
        box.locator("mark").wait_for(state="visible", timeout=TIMEOUT_MS)
        page.wait_for_function("(b) => b.scrollTop > 0", arg=box.element_handle(), timeout=TIMEOUT_MS)
        top, mark = box.bounding_box(), box.locator("mark").bounding_box()
        assert top["y"] <= mark["y"] and mark["y"] + 10 <= top["y"] + top["height"]  # scrolled into view
        page.screenshot(path=str(ARTIFACTS / "issue15-light.png"), full_page=True)

        # A refusal lists the closest passages in the chat, after saying it will.
        _ask(page, "深圳市每万人口发明专利拥有量是多少?")
        refusal = page.locator('#ipa-chat [data-testid="bot"]').last.inner_text()
        listed = refusal.split("以下是最接近的段落：", 1)[1]
        assert "[1]" in listed and len(listed.strip()) > 20, refusal

        # Switching to English: the earlier messages and the footer follow, no Chinese UI text is left.
        _ask(page, "那长沙呢?")
        page.get_by_text("English", exact=True).click()
        page.wait_for_function("document.querySelector('#ipa-chat').innerText.includes('Searched as')")
        assert "实际检索" not in page.inner_text("#ipa-chat") and "reference" in page.inner_text(
            "#ipa-footer"
        )
        assert "来源" not in page.inner_text("#ipa-sources h3")
        page.close()

        # Dark mode: the highlighted quote stays readable.
        page = browser.new_page(locale="en-US", viewport={"width": 1280, "height": 1000})
        _guard_network(page, outside)
        page.goto(f"{url}/?__theme=dark")
        page.wait_for_selector("#ipa-send", timeout=TIMEOUT_MS)
        _ask(page, "How much did Dalian's IP pledge loans reach in 2021?")
        page.locator("#ipa-sources details.ipa-source summary").first.click()
        mark = page.locator("#ipa-sources .ipa-context mark").first
        mark.wait_for(state="visible", timeout=TIMEOUT_MS)
        assert mark.evaluate(CONTRAST) >= 4.5
        page.screenshot(path=str(ARTIFACTS / "issue15-dark.png"), full_page=True)
        page.close()

        # A phone, 390 px wide: the title breaks between words; the sources follow the question box,
        # before the examples and the rest.
        page = browser.new_page(locale="zh-CN", viewport={"width": 390, "height": 844})
        _guard_network(page, outside)
        page.goto(url)
        page.wait_for_selector("#ipa-send", timeout=TIMEOUT_MS)
        assert page.evaluate(SPLIT_WORDS) == []
        _ask(page, "大连有效商标注册量是多少?")
        sources = page.locator("#ipa-sources").bounding_box()
        ask_box = page.locator("#ipa-send").bounding_box()
        examples = page.get_by_text("示例", exact=True).bounding_box()
        assert ask_box["y"] < sources["y"] < examples["y"], (ask_box, sources, examples)
        assert page.evaluate("document.documentElement.scrollWidth") <= 390  # nothing sticks out sideways
        page.screenshot(path=str(ARTIFACTS / "issue15-390px.png"), full_page=True)
        page.close()
    assert outside == [], f"requests left 127.0.0.1: {outside}"
