"""What the web chat says, in English, Simplified and Traditional Chinese, and its example questions.

The Traditional texts are not typed by hand: they are read from the Simplified ones through the
project's OpenCC converter (s2t, index.normalize.to_traditional), then TRADITIONAL_OVERRIDES."""

from __future__ import annotations

from collections.abc import Mapping

from index.normalize import to_traditional

# Example questions: Simplified, Traditional and English, figures and pledge financing among them.
EXAMPLES = [
    "大连知识产权质押融资贷款额是多少?",
    "長沙每萬人高價值發明專利擁有量是多少?",
    "How much did Dalian's IP pledge loans reach in 2021?",
    "大连有效商标注册量是多少?",
    "長沙有效發明專利擁有量是多少?",
    "What has Dalian done to protect intellectual property?",
]

TEXT: dict[str, dict[str, str]] = {
    "en": {
        "chat_tab": "Chat",
        "docs_tab": "Documents",
        "chatbot": "Conversation",
        "question": "Your question",
        "placeholder": "Ask about IP policy in Dalian, Changsha… (follow-ups work)",
        "send": "Ask",
        "clear": "New conversation",
        "sources": "Sources",
        "related": "Closest passages",
        "searched": "Searched as",
        "confidence": "Confidence",
        "no_sources": "Sources of the answer appear here.",
        "comment": "Comment on your rating (optional)",
        "send_comment": "Send comment",
        "thanks": "Thanks, your feedback was saved.",
        "comment_saved": "Comment saved.",
        "rate_first": "Rate an answer with 👍 or 👎 first.",
        "files": "Add articles (.txt .md .html .pdf .docx)",
        "add": "Index the files",
        "doc": "Document",
        "remove": "Remove from the index",
        "refresh": "Refresh",
        "status": "Status",
        "text": "Full text",
        "indexed": "indexed",
        "removed": "removed",
        "admin_only": "Only an admin can add or remove documents.",
        "nothing": "Choose files first.",
        "no_doc": "Choose a document first.",
        "examples": "Examples",
        "language": "Language",
        "cols": "id,title,source,date,language,chunks",
        "chars": "characters",
        "doc_id": "document",
        "whole_doc": "Show the whole document",
        "logout": "Log out",
        "footer": "HTTP API: [reference](docs)",
    },
    "zh": {
        "chat_tab": "问答",
        "docs_tab": "文档",
        "chatbot": "对话",
        "question": "你的问题",
        "placeholder": "询问大连、长沙等地的知识产权政策……（可以追问）",
        "send": "提问",
        "clear": "新对话",
        "sources": "来源",
        "related": "最接近的段落",
        "searched": "实际检索",
        "confidence": "置信度",
        "no_sources": "回答的来源显示在这里。",
        "comment": "评价说明（可选）",
        "send_comment": "提交说明",
        "thanks": "谢谢，反馈已保存。",
        "comment_saved": "说明已保存。",
        "rate_first": "请先用 👍 或 👎 评价一个回答。",
        "files": "添加文章（.txt .md .html .pdf .docx）",
        "add": "索引这些文件",
        "doc": "文档",
        "remove": "从索引中删除",
        "refresh": "刷新",
        "status": "状态",
        "text": "全文",
        "indexed": "已索引",
        "removed": "已删除",
        "admin_only": "只有管理员可以添加或删除文档。",
        "nothing": "请先选择文件。",
        "no_doc": "请先选择一个文档。",
        "examples": "示例",
        "language": "语言",
        "cols": "编号,标题,来源,日期,语言,段数",
        "chars": "字符",
        "doc_id": "文档",
        "whole_doc": "显示全文",
        "logout": "退出登录",
        "footer": "HTTP 接口：[说明文档](docs)",
    },
}
# s2t changes characters, not words: where the word it gives means something else to a reader of
# Traditional Chinese, the word that reader expects (applied to s2t's output, in this order).
# 登錄 reads as "to register, to record" (the log-out button); 字元 is the word the library's own
# Traditional texts use (assistant.constants.QUESTION_TOO_LONG).
TRADITIONAL_OVERRIDES = {"退出登錄": "登出", "字符": "字元"}


def traditional(texts: Mapping[str, str]) -> dict[str, str]:
    """Traditional Chinese texts from Simplified ones: OpenCC s2t, then TRADITIONAL_OVERRIDES."""
    converted = {}
    for key, text in texts.items():
        form = to_traditional(text)
        for wrong, right in TRADITIONAL_OVERRIDES.items():
            form = form.replace(wrong, right)
        converted[key] = form
    return converted


TEXT["zh-Hant"] = traditional(TEXT["zh"])
LANGUAGES = {"中文": "zh", "繁體中文": "zh-Hant", "English": "en"}  # the switch: label -> code
# A page language as the language of an answer (what is said about a question without words).
ANSWER_LANGUAGE = {"zh": "zh-Hans", "zh-Hant": "zh-Hant", "en": "en"}
PAGE_LANGUAGE = {answer: page for page, answer in ANSWER_LANGUAGE.items()}
_TRADITIONAL_REGIONS = ("tw", "hk", "mo")


def ui_language(lang: str) -> str:
    return lang if lang in TEXT else "en"


def answer_text(language: str) -> Mapping[str, str]:
    """The texts in an answer's language (zh-Hans, zh-Hant, en), for front ends that show it."""
    return TEXT[ui_language(PAGE_LANGUAGE.get(language, language))]


def chinese_code(tag: str) -> str:
    """zh-Hant for a Chinese language tag that names Traditional script or a region that writes it
    (zh-Hant, zh-TW, zh-HK, zh-MO; an explicit Hans wins), else zh."""
    parts = tag.lower().replace("_", "-").split("-")[1:]
    if "hans" in parts:
        return "zh"
    return "zh-Hant" if "hant" in parts or any(p in _TRADITIONAL_REGIONS for p in parts) else "zh"


def language_from_header(header: str) -> str:
    """zh, zh-Hant or en from an Accept-Language header, by the first language that is one of them."""
    for part in (header or "").split(","):
        code = part.split(";")[0].strip().lower()
        if code.startswith("zh"):
            return chinese_code(code)
        if code.startswith("en"):
            return "en"
    return "en"
