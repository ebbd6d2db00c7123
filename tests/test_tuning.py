"""`policybot tune`: the model learns an agency's questions and answers unseen ones better.

The long test trains the real MiniLM on the project's tuning files, as
`make demo` does, but for one epoch instead of three (about four minutes of
training on two cores instead of twelve: CI's time budget), and scores the
held-out files, which are never trained on. docs/retrieval.md has the numbers
of the three-epoch model `make demo` ships.
"""

from __future__ import annotations

import json
import logging
import shutil
from collections import Counter
from collections.abc import Callable, Sequence
from pathlib import Path

import numpy as np
import pytest

from bot.app import (
    build_embedder,
    build_precedents,
    build_runtime,
    coverage_for,
    fusion_for,
    ingest,
    model_notice,
    model_path,
    tune,
)
from bot.cli.main import main
from bot.core.answer import PACKAGED_COVERAGE, TUNED_COVERAGE
from bot.core.ports import Embedder
from bot.core.precedents import Precedent
from bot.core.retrieval import PACKAGED_FUSION, TUNED_FUSION
from bot.embedding import default_model_path
from bot.evaluation import read_jsonl, score_questions
from bot.precedent_files import read_precedents, write_precedents
from bot.settings import Settings
from bot.stores.memory_store import MemoryClauseStore
from bot.tuning import (
    ABSTAIN_MARGIN,
    INFO_FILE,
    TrainingPair,
    abstain_column,
    batch_columns,
    fine_tune,
    other_answers,
    remine,
)
from ingest.manifest import load_manifest
from ingest.pipeline import run_ingest
from tests.conftest import KNOWLEDGE, CountingEmbedder, make_settings

GOLDEN = Path(__file__).resolve().parent / "golden"
TUNING = sorted(GOLDEN.glob("questions*.jsonl"))
# One pass over the tuning files; `make tune` makes three (bot.tuning.EPOCHS).
TEST_EPOCHS = 1
# Held-out file -> (hit@1, hit@3, coverage) floors for the one-epoch model with its
# precedents, two questions under what it measures (session 17): hit@1 0.909, 0.946,
# 0.934, 0.929, 0.927, 0.971, 0.838, 0.875, 0.961 and (session 18) 0.88; hit@3 1.0,
# 0.982, 0.974, 0.982, 0.976, 1.0, 0.956, 0.979, 1.0 and 0.96; coverage (session 18, with
# the tuning questions left open) 1.0, 1.0, 1.0, 0.969, 0.95, 0.982, 0.922, 1.0, 1.0 and
# 0.967 (docs/retrieval.md). The packaged model scores 0.61 / 0.77, 0.55 / 0.75, 0.49 /
# 0.72, 0.68 / 0.86, 0.54 / 0.73, 0.74 / 0.82, 0.46 / 0.65, 0.48 / 0.73, 0.49 / 0.73 and
# 0.54 / 0.72. holdout_5, holdout_6, holdout_7 and holdout_9 are much about telling
# near-topic questions the policies leave open (14, 18, most of 34, and 6) from
# answerable ones: their coverage floors are two questions under too, the others' 0.93.
TUNED_FLOORS = {
    "holdout.jsonl": (0.86, 0.95, 0.93),
    "holdout_2.jsonl": (0.91, 0.94, 0.93),
    "holdout_3.jsonl": (0.90, 0.94, 0.93),
    "holdout_4.jsonl": (0.89, 0.94, 0.93),
    "holdout_5.jsonl": (0.87, 0.92, 0.91),
    "holdout_6.jsonl": (0.91, 0.94, 0.94),
    "holdout_7.jsonl": (0.80, 0.92, 0.90),
    "holdout_8.jsonl": (0.83, 0.93, 0.96),
    "holdout_9.jsonl": (0.92, 0.96, 0.96),
    "holdout_10.jsonl": (0.84, 0.92, 0.93),
    # Session 19's blind file, with its audited gold: 0.811 / 0.943 / 0.901 measured.
    "holdout_11.jsonl": (0.77, 0.90, 0.87),
    # Session 20's blind file, audited before it was scored: 0.878 / 1.0 / 0.949.
    "holdout_12.jsonl": (0.83, 0.95, 0.92),
    # Session 22's blind file, a scene then "… that?", audited: 0.886 / 0.971 / 0.964.
    "holdout_13.jsonl": (0.82, 0.91, 0.92),
    # Session 20's blind questions written without a topic word: 0.882 / 0.941 / 0.955.
    "holdout_topic_free.jsonl": (0.82, 0.88, 0.91),
}
# Held-out questions more whose clause is first with the precedents than without:
# 597 against 533 of 657 measured (session 20); the floor is under half of that lift.
PRECEDENT_LIFT = 20

# Policy questions with no topic word (bot.core.answer._TOPIC), and the clause each
# is about; and questions no policy addresses. Neither kind is in a tuning file.
TOPIC_FREE = [
    ("If the state rules and the agency's own rules disagree, which one applies?", "conflicting"),
]
# A question in the policies' own word for what it asks about ("electronic devices"),
# with no social-media word: under the 0.35 bar until session 20 (0.333 for the one-epoch
# model, 0.313 for `make tune`'s), answered since "device" is a topic word.
DEVICE_QUESTION = ("Does a work tablet count as a device under the DYS rules?", "tablets")
OFF_TOPIC = [
    "How many vacation days do I get after five years?",
    "Where is the nearest notary public?",
    "Can I get reimbursed for a parking ticket from a home visit?",
    # Their asking sentences alone are 0.43-0.56 from clauses on reporting a violation
    # and on social media at work with `make tune`'s model; their messages 0.21-0.22.
    "The vending machine ate my dollar again. Who do I report that to?",
    "We're pooling money for a retirement cake through PayPal. Is that allowed at work?",
]
# Asking about "that" too, and the message says what: a leak the policies govern.
REFERS_BACK = (
    "A coworker shared a youth's court report in a group chat. Who do I report that to?",
    "Failure to report any known violation",
)
# How-to questions with a topic word: the policies give no such steps, then the
# steps one of them does give.
HOW_TO_OFF_TOPIC = [
    "How can we boost a Facebook post, and what's our ad budget?",
    "How can I merge two duplicate Facebook pages for our office?",
]
HOW_TO = (
    "How can I reach the county CIO's office with a question about the social media directive?",
    "Please contact the Office of the CIO",
)


def _items(*paths: Path) -> list[tuple[str, dict[str, object]]]:
    return [(f"{p.name} line {n}", item) for p in paths for n, item in enumerate(read_jsonl(p), 1)]


def test_tuning_lifts_questions_it_never_saw(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    settings = make_settings(tmp_path)
    found, seconds = tune(settings, _items(*TUNING), epochs=TEST_EPOCHS)
    print(f"{len(found.pairs)} questions, trained in {seconds:.0f} s")
    assert len(found.pairs) > 1500 and not found.skipped
    assert model_path(settings) == settings.tuned_model_dir
    # The tuned model's dense ranking is trusted more than the packaged one's.
    assert fusion_for(settings) == TUNED_FUSION
    assert coverage_for(settings) == TUNED_COVERAGE

    # The tuning files' lines are kept with the model as its precedents, those the
    # policies leave open too.
    kept = read_precedents(settings.tuned_model_dir)
    assert kept is not None and len(kept) == len(found.pairs)
    assert sum(not p.covered for p in kept) == found.out_of_scope

    rt = build_runtime(settings)  # picks the tuned model up by itself
    level, notice = model_notice(settings)  # what a server logs when it starts
    assert level == logging.INFO and "tuned model" in notice
    assert ingest(rt).ok
    # Every file is scored before any floor is checked, so a failing run shows all of them.
    short = []
    first = {}
    for name, (hit1, hit3, coverage) in TUNED_FLOORS.items():
        score = score_questions(rt.assistant, read_jsonl(GOLDEN / name))
        print(name, score.to_json(), score.misses)
        first[name] = round(score.hit1 * score.answerable)
        if score.hit1 < hit1 or score.hit3 < hit3 or score.coverage_accuracy < coverage:
            short.append((name, score.to_json(), score.misses))
    assert not short, short

    # Without its precedents the same model puts fewer held-out questions' clauses first.
    alone = build_runtime(settings.model_copy(update={"precedents": False}))
    without = {}
    for name in TUNED_FLOORS:
        # Only the answerable lines count here, so only they are asked (CI's minutes).
        answerable = [i for i in read_jsonl(GOLDEN / name) if i.get("covered", True)]
        score = score_questions(alone.assistant, answerable)
        without[name] = round(score.hit1 * score.answerable)
    print("first with precedents", first, "without", without)
    assert sum(first.values()) >= sum(without.values()) + PRECEDENT_LIFT
    # Held-out questions closest to a tuning question left open: silent, rightly or not.
    left_open = Counter(
        bool(item.get("covered", True))
        for name in TUNED_FLOORS
        for item in read_jsonl(GOLDEN / name)
        if rt.retriever.left_open(item["question"])
    )
    print("left open: out of scope", left_open[False], "answerable", left_open[True])
    # Measured: 84 of the 215 out of scope, none of the 692 answerable (the coverage
    # floors above count the out-of-scope ones the dense bar had let through).
    assert left_open[True] <= 1 and left_open[False] >= 28, left_open

    # It keeps off-topic questions so far from every clause that a policy question
    # without a social-media word no longer needs the packaged model's 0.5 to count.
    for question, quoted in TOPIC_FREE:
        answer = rt.assistant.ask(question)
        dense = rt.retriever.retrieve(question, k=1)[0].dense
        print(f"{dense:.3f} {question}")
        assert answer.covered and quoted in answer.citations[0].clause.text, question
    for question in OFF_TOPIC:
        assert not rt.assistant.ask(question).covered, question
    answer = rt.assistant.ask(REFERS_BACK[0])
    assert answer.covered and any(REFERS_BACK[1] in c.clause.text for c in answer.citations)
    answer = rt.assistant.ask(DEVICE_QUESTION[0])
    assert answer.covered and DEVICE_QUESTION[1] in answer.citations[0].clause.text
    # A how-to question needs a close match, topic word or not.
    for question in HOW_TO_OFF_TOPIC:
        print(f"{rt.retriever.retrieve(question, k=1)[0].dense:.3f} {question}")
        assert not rt.assistant.ask(question).covered, question
    answer = rt.assistant.ask(HOW_TO[0])
    assert answer.covered and HOW_TO[1] in answer.citations[0].clause.text

    # --reset goes back to the packaged model and re-indexes with it.
    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("POLICYBOT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    assert main(["tune", "--reset"]) == 0
    assert not settings.tuned_model_dir.exists()
    assert model_path(settings) != settings.tuned_model_dir
    assert fusion_for(settings) == PACKAGED_FUSION
    assert coverage_for(settings) == PACKAGED_COVERAGE


def test_tune_names_lines_it_cannot_use_and_keeps_the_model(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "mine.jsonl"
    bad.write_text(
        '{"question": "Can I friend a client?", "gold": ["no clause says this"]}\nnot json\n'
        '{"question": "How do I reset my password?", "gold": [], "covered": false}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("POLICYBOT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    assert main(["tune", str(bad)]) == 2
    err = capsys.readouterr().err
    assert "no usable training pairs" in err
    assert not (tmp_path / "data" / "tuned-model").exists()
    assert main(["tune", str(tmp_path / "missing.jsonl")]) == 2
    assert "missing.jsonl: no such file" in capsys.readouterr().err


def test_tune_takes_a_seed_and_records_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Two seeds differ by a few questions per file (docs/retrieval.md, session 9); the
    # Makefile names the one `make demo` ships, so the model must say which it was.
    mine = tmp_path / "mine.jsonl"
    mine.write_text(
        '{"question": "Can I friend a client?", "gold": ["DCF adult and child clients"]}\n',
        encoding="utf-8",
    )
    monkeypatch.setenv("POLICYBOT_DATA_DIR", str(tmp_path / "data"))
    monkeypatch.setenv("POLICYBOT_KNOWLEDGE_DIR", str(KNOWLEDGE))
    assert main(["tune", str(mine), "--seed", "-1"]) == 2
    assert "--seed must be a whole number" in capsys.readouterr().err
    assert main(["tune", str(mine), "--epochs", "1", "--seed", "3"]) == 0
    err = capsys.readouterr().err
    assert "1 epochs, seed 3" in err and "1 question kept as precedents" in err
    info = json.loads((tmp_path / "data" / "tuned-model" / INFO_FILE).read_text("utf-8"))
    assert (info["seed"], info["pairs"], info["epochs"]) == (3, 1, 1)


def _tuned_from_another_base(tmp_path: Path) -> Settings:
    """Settings whose data dir holds a tuned model made from a model that is not theirs."""
    settings = make_settings(tmp_path)
    settings.tuned_model_dir.mkdir(parents=True)
    (settings.tuned_model_dir / INFO_FILE).write_text(
        json.dumps({"base": str(tmp_path / "some-other-model")}), encoding="utf-8"
    )
    return settings


def test_a_tuned_model_from_another_base_is_not_used(tmp_path: Path) -> None:
    settings = _tuned_from_another_base(tmp_path)
    assert model_path(settings) != settings.tuned_model_dir
    assert fusion_for(settings) == PACKAGED_FUSION
    assert coverage_for(settings) == PACKAGED_COVERAGE


def test_a_shared_copy_of_a_tuned_model_is_used_as_tuned(
    tmp_path: Path, embedder: Embedder
) -> None:
    # Replicas point POLICYBOT_EMBEDDING_MODEL_PATH at one copy of the tuned model
    # (README): its score weights, coverage bars and precedents come with it.
    shared = tmp_path / "shared-model"
    shutil.copytree(default_model_path(), shared)
    (shared / INFO_FILE).write_text(json.dumps({"base": "elsewhere"}), encoding="utf-8")
    write_precedents(shared, [Precedent("Can I friend a client?", ("clients",))])
    settings = make_settings(tmp_path / "data", embedding_model_path=shared)
    assert model_path(settings) == shared
    assert fusion_for(settings) == TUNED_FUSION
    assert coverage_for(settings) == TUNED_COVERAGE
    precedents = build_precedents(settings, embedder)
    assert precedents is not None and len(precedents) == 1
    no_precedents = settings.model_copy(update={"precedents": False})
    assert build_precedents(no_precedents, embedder) is None
    # The packaged model has none.
    assert build_precedents(make_settings(tmp_path / "packaged"), embedder) is None


def test_a_tuned_model_set_aside_is_reported(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        build_embedder(_tuned_from_another_base(tmp_path))
    assert "made from another base model" in caplog.text
    assert "policybot tune --reset" in caplog.text


def test_no_tuned_model_is_no_warning(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    with caplog.at_level(logging.WARNING, logger="bot.app"):
        build_embedder(make_settings(tmp_path))
    assert "tuned model" not in caplog.text


def test_another_model_re_embeds_every_document(embedder: Embedder) -> None:
    manifest = load_manifest(KNOWLEDGE)
    store = MemoryClauseStore()
    first = run_ingest(manifest, store, CountingEmbedder(embedder, "model-a"))
    again = run_ingest(manifest, store, CountingEmbedder(embedder, "model-a"))
    other = run_ingest(manifest, store, CountingEmbedder(embedder, "model-b"))
    assert again.clauses_embedded == 0 and len(again.unchanged) == len(first.added)
    assert sorted(other.updated) == sorted(first.added)
    assert other.clauses_embedded == first.clauses_total


def test_a_clause_answering_two_questions_of_a_batch_is_no_wrong_answer_for_either() -> None:
    friend = TrainingPair("Can I friend a client?", ("no friending clients",), None)
    friend_mom = TrainingPair(
        "May I follow a youth's mom?", ("no friending clients", "no contact with parents"), None
    )
    logo = TrainingPair("May I use the logo?", ("logo needs approval",), "no friending clients")
    columns, targets = batch_columns([friend, friend_mom, logo], lambda texts: texts[-1])
    # Each question's clause, then the hard negatives.
    assert columns == [
        "no friending clients",
        "no contact with parents",
        "logo needs approval",
        "no friending clients",
    ]
    assert targets == [0, 1, 2]
    assert other_answers([friend, friend_mom, logo], columns, targets) == [
        [False, False, False, True],  # its own column is the target, not masked
        [True, False, False, True],  # the first question's clause answers it too
        [False, False, False, False],  # its hard negative stays a wrong answer
    ]


def test_an_out_of_scope_question_targets_the_abstain_column_and_masks_nothing() -> None:
    friend = TrainingPair("Can I friend a client?", ("no friending clients",), "no logos")
    wifi = TrainingPair("What's the Wi-Fi password?", (), "no shared passwords")
    columns, targets = batch_columns([wifi, friend], lambda texts: texts[0])
    assert columns == ["no friending clients", "no shared passwords", "no logos"]
    assert targets == [3, 0]  # 3: the abstain column after the three clauses
    assert other_answers([wifi, friend], columns, targets) == [[False] * 3, [False] * 3]


def test_the_abstain_column_keeps_a_margin_on_both_sides_of_the_coverage_threshold() -> None:
    """An answerable question must score its clause above the cosine under which the
    bot says "the policies are silent", an out-of-scope one every clause below it,
    both with room to spare, so that questions the model never saw fall on the same
    side (docs/retrieval.md, session 8)."""
    friend = TrainingPair("Can I friend a client?", ("no friending clients",), "no logos")
    wifi = TrainingPair("What's the Wi-Fi password?", (), "no shared passwords")
    answerable, out_of_scope = abstain_column([friend, wifi])
    assert ABSTAIN_MARGIN > 0
    assert out_of_scope < TUNED_COVERAGE.with_topic < answerable
    assert answerable - TUNED_COVERAGE.with_topic == pytest.approx(ABSTAIN_MARGIN)
    assert TUNED_COVERAGE.with_topic - out_of_scope == pytest.approx(ABSTAIN_MARGIN)


def test_after_an_epoch_each_question_is_trained_against_what_the_model_now_confuses() -> None:
    """The packaged model's mistake is learned in the first epoch; the next epoch's
    hard negative is the clause the model being trained ranks first among those
    that do not answer, from the question's own agency when it names one."""
    vectors = {
        "Do I need my supervisor's OK to watch a youth's IG?": [1.0, 0.0, 0.0],
        "What's the Wi-Fi password?": [0.0, 0.0, 1.0],
        "supervision needs written authorization": [0.9, 0.1, 0.0],
        "there is no requirement to supervise youth online": [0.95, 0.0, 0.05],
        "CT: no friending youth": [0.99, 0.0, 0.0],
        "no shared passwords": [0.1, 0.0, 0.9],
    }
    corpus = [
        ("ma-dys", "supervision needs written authorization"),
        ("ma-dys", "there is no requirement to supervise youth online"),
        ("ct-dcf", "CT: no friending youth"),
        ("lccs", "no shared passwords"),
    ]
    watch = "Do I need my supervisor's OK to watch a youth's IG?"
    scoped = TrainingPair(watch, ("supervision needs written authorization",), "logo", "ma-dys")
    unscoped = TrainingPair(watch, ("supervision needs written authorization",), "logo")
    wifi = TrainingPair("What's the Wi-Fi password?", (), "logo")

    def encode(texts: list[str]) -> np.ndarray:
        return np.array([vectors[t] for t in texts])

    mined = remine([scoped, unscoped, wifi], corpus, encode)
    assert [p.negative for p in mined] == [
        "there is no requirement to supervise youth online",  # its agency's closest wrong one
        "CT: no friending youth",  # no agency named: every agency's clauses compete
        "no shared passwords",  # out of scope: the closest clause of all
    ]
    # Only the negative changes.
    assert [(p.question, p.positives, p.agency) for p in mined] == [
        (p.question, p.positives, p.agency) for p in (scoped, unscoped, wifi)
    ]


def test_training_mines_new_negatives_from_its_own_model_after_the_first_epoch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The real MiniLM, two epochs over three questions: the second epoch trains
    against negatives the half-trained model picked from the corpus (the first
    had none here), each from the question's agency when it names one."""
    from bot.embedding import default_model_path

    corpus = [
        ("ma-dys", "There is no requirement that employees use social media to supervise youth."),
        ("ma-dys", "Employees shall obtain authorization in writing from their supervisor."),
        ("ct-dcf", "DCF staff shall not friend clients."),
        ("lccs", "Use work email addresses and strong passwords."),
    ]
    watch = "Do I need my boss's OK to watch a kid's IG?"
    pairs = [
        TrainingPair(watch, (corpus[1][1],), None, "ma-dys"),
        TrainingPair("Can I friend a client?", (corpus[2][1],), None),
        TrainingPair("What's for lunch?", (), None),
    ]
    batches: list[list[str | None]] = []
    real_columns = batch_columns

    def recording_columns(
        batch: Sequence[TrainingPair], pick: Callable[[Sequence[str]], str]
    ) -> tuple[list[str], list[int]]:
        batches.append([p.negative for p in sorted(batch, key=lambda p: p.question)])
        return real_columns(batch, pick)

    monkeypatch.setattr("bot.tuning.batch_columns", recording_columns)
    fine_tune(default_model_path(), pairs, tmp_path / "model", epochs=2, corpus=corpus)

    first, second = batches  # three questions: one batch per epoch
    assert first == [None, None, None]
    friend, scoped, lunch = second  # by question
    assert scoped == corpus[0][1]  # the Massachusetts clause that does not answer it
    assert friend in {text for _, text in corpus} - {corpus[2][1]}
    assert lunch in {text for _, text in corpus}
    assert (tmp_path / "model" / INFO_FILE).exists()


def test_a_tuned_model_still_counts_after_the_checkout_moves(tmp_path: Path) -> None:
    """The tuned model records where its base model was; moving the project (and
    with it the virtualenv that holds the packaged model) must not silently drop
    it for the packaged one: the same files are the same base."""
    from bot.embedding import model_fingerprint

    base = tmp_path / "venv-now" / "minilm"
    base.mkdir(parents=True)
    (base / "config.json").write_text('{"hidden_size": 384}', encoding="utf-8")
    settings = make_settings(tmp_path, embedding_model_path=base)
    settings.tuned_model_dir.mkdir(parents=True)
    info = settings.tuned_model_dir / INFO_FILE
    moved = {"base": str(tmp_path / "venv-before" / "minilm")}

    info.write_text(json.dumps(moved | {"base_fingerprint": model_fingerprint(base)}))
    assert model_path(settings) == settings.tuned_model_dir
    assert fusion_for(settings) == TUNED_FUSION
    assert coverage_for(settings) == TUNED_COVERAGE

    # Another model at the same place is another base.
    info.write_text(json.dumps(moved | {"base_fingerprint": "0123456789abcdef"}))
    assert model_path(settings) == base
    # A model tuned before fingerprints were recorded goes by its path alone.
    info.write_text(json.dumps(moved))
    assert model_path(settings) == base
