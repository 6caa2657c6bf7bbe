"""Chinese person names spelled in pinyin, matched to the characters the collection holds."""

from assistant.names import in_characters, spelled_names, syllables
from assistant.question import analyse


def test_pinyin_words_split_into_syllables_and_english_words_do_not():
    assert syllables("Xiangyu") == ("xiang", "yu")
    assert syllables("Ju") == ("ju",)
    assert syllables("director") is None


def test_a_spelled_name_is_found_only_as_characters_the_collection_holds_together():
    held = {"王聚"}
    assert in_characters(("wang", "ju"), lambda pair: pair in held) == ("王聚",)
    assert in_characters(("wang", "ju"), lambda pair: False) == ()


def test_capitalised_english_words_are_not_taken_for_names():
    assert spelled_names("Who is Hou Xiangyu?", lambda w: False) == [
        (("hou", "xiang", "yu"), ("hou", "xiangyu"))
    ]
    assert spelled_names("What did China Daily say?", lambda w: w in {"china", "daily"}) == []


def test_a_question_about_the_post_a_named_person_holds_asks_for_no_figure():
    q = analyse("What position does Wang Ju hold?")
    assert not q.wants_figure
    assert q.spelled == [(("wang", "ju"), ("wang", "ju"))]
