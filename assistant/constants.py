"""Phrases shared by code, prompts and tests."""

from __future__ import annotations

# What the assistant says when the articles do not hold the answer, by question language.
CANNOT_ANSWER = {
    "zh-Hans": "资料中没有找到能回答这个问题的内容。以下是最接近的段落：",
    "zh-Hant": "資料中沒有找到能回答這個問題的內容。以下是最接近的段落：",
    "en": "The articles do not answer this question. These are the closest passages:",
}
# The exact reply a model is told to give when the passages do not answer (prompts use it too).
CANNOT_ANSWER_PHRASE = "CANNOT_ANSWER"

EMPTY_QUESTION = {
    "zh-Hans": "请输入一个问题。",
    "zh-Hant": "請輸入一個問題。",
    "en": "Please type a question.",
}
QUESTION_TOO_LONG = {
    "zh-Hans": "问题太长（{n} 个字符，上限 {limit}）。请缩短后再问。",
    "zh-Hant": "問題太長（{n} 個字元，上限 {limit}）。請縮短後再問。",
    "en": "The question is too long ({n} characters, the limit is {limit}). Please shorten it.",
}
STORE_UNAVAILABLE = {
    "zh-Hans": "暂时无法访问资料库，请稍后再试。",
    "zh-Hant": "暫時無法存取資料庫，請稍後再試。",
    "en": "The article store cannot be reached right now. Please try again shortly.",
}
ANSWER_TIMEOUT = {
    "zh-Hans": "回答用时过长，已停止。请换个问法或稍后再试。",
    "zh-Hant": "回答用時過長，已停止。請換個問法或稍後再試。",
    "en": "Answering took too long and was stopped. Please rephrase or try again shortly.",
}
