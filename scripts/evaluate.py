"""Measure the claim matching and the check-worthiness hints on the evaluation set
(tests/eval, README there): ``make eval``.

Claim matching: every sentence of ``pairs.json`` is ranked against all claims of
``claims.json`` with the desk's own index and scores (``claims.text.similarity``; the
in-process index SQLite uses, which PostgreSQL's query reproduces — tests check the
two agree).

- recall@3: of the sentences labelled "same" for a claim, the share whose claim is among
  the three best-ranked claims (threshold or not);
- precision of the top suggestion: of the sentences whose best claim scores at least the
  threshold (the desk suggests it), the share where that claim is one labelled "same";
- recall of the suggestion: of the "same" sentences, the share whose claim the desk
  suggests first.

Check-worthiness: every labelled sentence of ``worthiness/*.json`` is judged with the
desk's rules (``claims.text.worthiness``); precision and recall of "worth checking".
The sentence splitter is measured too: the share of labelled sentences it finds whole.

Exit status 1 when a target is missed (``--no-targets`` to only print).
"""

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from claims.text.sentences import sentences
from claims.text.similarity import MATCH_THRESHOLD, Index, profile
from claims.text.worthiness import HINT_THRESHOLD, sentence_hint

EVAL = Path(__file__).resolve().parent.parent / "tests" / "eval"
TARGETS = {
    "recall@3": 0.9,
    "precision of the top suggestion": 0.8,
    "worth checking: precision": 0.7,
    "worth checking: recall": 0.8,
}


def load_matching():
    claims = json.loads((EVAL / "claims.json").read_text(encoding="utf-8"))
    pairs = json.loads((EVAL / "pairs.json").read_text(encoding="utf-8"))
    return claims, pairs


def claim_index(claims) -> tuple[Index, dict[int, dict]]:
    by_number = {}
    profiles = {}
    for number, claim in enumerate(claims, start=1):
        by_number[number] = claim
        texts = [claim["claim"], *claim.get("passages", [])]
        profiles[number] = [profile(text, claim["language"]) for text in dict.fromkeys(texts)]
    return Index(profiles), by_number


def evaluate_matching(claims, pairs, threshold=MATCH_THRESHOLD, show=5) -> dict:
    index, by_number = claim_index(claims)
    number_of = {claim["id"]: number for number, claim in by_number.items()}
    same: dict[str, set[str]] = defaultdict(set)
    labels: dict[tuple[str, str], str] = {}
    language: dict[str, str] = {}
    for pair in pairs:
        labels[(pair["sentence"], pair["claim"])] = pair["label"]
        language[pair["sentence"]] = pair["language"]
        if pair["label"] == "same":
            same[pair["sentence"]].add(pair["claim"])
    ranked = {
        sentence: index.rank(profile(sentence, language[sentence]), limit=3)
        for sentence in language
    }
    hits = total = 0
    misses = []
    for sentence, wanted in same.items():
        top3 = [by_number[r.claim]["id"] for r in ranked[sentence]]
        for claim_id in wanted:
            total += 1
            if claim_id in top3:
                hits += 1
            else:
                score = next(
                    (r.score for r in ranked[sentence] if by_number[r.claim]["id"] == claim_id),
                    None,
                )
                misses.append((sentence, claim_id, top3[:1], score))
    suggested = correct = 0
    suggested_same = 0
    wrong = []
    confusion = Counter()
    for sentence, found in ranked.items():
        top = found[0] if found else None
        shown = top is not None and top.score >= threshold
        top_id = by_number[top.claim]["id"] if top else None
        label = labels.get((sentence, top_id), "unlabelled") if top_id else "none"
        if shown:
            suggested += 1
            if top_id in same[sentence]:
                correct += 1
            else:
                wrong.append((sentence, top_id, label, top.score))
        # The confusion table: what kind of sentence, suggested or not.
        kind = "same" if same[sentence] else "no claim"
        confusion[
            (
                kind,
                "suggested right"
                if shown and top_id in same[sentence]
                else "suggested wrong"
                if shown
                else "nothing suggested",
            )
        ] += 1
        if shown and top_id in same[sentence]:
            suggested_same += 1
    sentences_with_claim = sum(1 for sentence in ranked if same[sentence])
    return {
        "pairs": len(pairs),
        "sentences": len(ranked),
        "claims": len(claims),
        "recall@3": hits / total if total else 0.0,
        "precision of the top suggestion": correct / suggested if suggested else 0.0,
        "recall of the top suggestion": suggested_same / sentences_with_claim
        if sentences_with_claim
        else 0.0,
        "suggested": suggested,
        "confusion": confusion,
        "misses": sorted(misses, key=lambda m: m[3] or 0)[:show],
        "wrong": sorted(wrong, key=lambda w: -w[3])[:show],
        "threshold": threshold,
        "index": number_of,
    }


def evaluate_worthiness(show=5) -> dict:
    confusion = Counter()
    misses, false_alarms = [], []
    found_whole = labelled = 0
    for path in sorted((EVAL / "worthiness").glob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        text = (EVAL / "worthiness" / (path.stem + ".txt")).read_text(encoding="utf-8")
        language = data["language"]
        # The extractions keep one paragraph per line: the desk's import separates them
        # with a blank line, so the splitter sees them as paragraphs.
        split = {
            text.replace("\n", "\n\n")[s.start : s.end]
            for s in sentences(text.replace("\n", "\n\n"), language)
        }
        for item in data["sentences"]:
            labelled += 1
            found_whole += item["text"] in split
            score, reasons, _speaker = sentence_hint(item["text"], language)
            hinted = score >= HINT_THRESHOLD and bool(reasons)
            confusion[(item["worth_checking"], hinted)] += 1
            if item["worth_checking"] and not hinted:
                misses.append((path.stem, item["text"], score, reasons))
            elif hinted and not item["worth_checking"]:
                false_alarms.append((path.stem, item["text"], score, reasons))
    tp, fp = confusion[(True, True)], confusion[(False, True)]
    fn = confusion[(True, False)]
    return {
        "sentences": labelled,
        "worth checking: precision": tp / (tp + fp) if tp + fp else 0.0,
        "worth checking: recall": tp / (tp + fn) if tp + fn else 0.0,
        "splitter finds the labelled sentence whole": found_whole / labelled if labelled else 0,
        "confusion": confusion,
        "misses": misses[:show],
        "false alarms": false_alarms[:show],
    }


def report(matching: dict, worthiness: dict) -> list[str]:
    lines = ["Claim matching", "=============="]
    lines.append(
        f"{matching['pairs']} labelled pairs, {matching['sentences']} sentences, "
        f"{matching['claims']} claims; threshold {matching['threshold']}"
    )
    for name in ("recall@3", "precision of the top suggestion", "recall of the top suggestion"):
        target = TARGETS.get(name)
        verdict = "met" if target and matching[name] >= target else "NOT MET"
        suffix = f"  (target ≥ {target}: {verdict})" if target else ""
        lines.append(f"  {name}: {matching[name]:.3f}{suffix}")
    lines.append("  Confusion (sentence → what the desk suggests first):")
    for (kind, outcome), count in sorted(matching["confusion"].items()):
        lines.append(f"    {kind:9} {outcome:18} {count}")
    lines.append("  Worst misses (a 'same' claim not in the top 3):")
    for sentence, claim_id, top, score in matching["misses"]:
        lines.append(f"    - {sentence!r} → wanted {claim_id} (score {score}), top {top}")
    lines.append("  Worst wrong suggestions (shown, but not the same claim):")
    for sentence, claim_id, label, score in matching["wrong"]:
        lines.append(f"    - {sentence!r} → {claim_id} [{label}] {score:.3f}")
    lines += ["", "Check-worthiness", "================"]
    lines.append(f"{worthiness['sentences']} labelled sentences")
    for name in ("worth checking: precision", "worth checking: recall"):
        target = TARGETS[name]
        lines.append(
            f"  {name}: {worthiness[name]:.3f}  (target ≥ {target}: "
            f"{'met' if worthiness[name] >= target else 'NOT MET'})"
        )
    lines.append(
        "  splitter finds the labelled sentence whole: "
        f"{worthiness['splitter finds the labelled sentence whole']:.3f}"
    )
    c = worthiness["confusion"]
    lines.append("  Confusion:             hinted   not hinted")
    lines.append(f"    worth checking       {c[(True, True)]:6}   {c[(True, False)]:6}")
    lines.append(f"    not worth checking   {c[(False, True)]:6}   {c[(False, False)]:6}")
    lines.append("  Worst misses (worth checking, not hinted):")
    for name, text, score, reasons in worthiness["misses"]:
        lines.append(f"    - [{name}] {text[:110]!r} score {score} {list(reasons)}")
    lines.append("  False alarms (hinted, not worth checking):")
    for name, text, score, reasons in worthiness["false alarms"]:
        lines.append(f"    - [{name}] {text[:110]!r} score {score} {list(reasons)}")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--no-targets", action="store_true", help="print only, exit 0")
    parser.add_argument("--show", type=int, default=5, help="examples of misses to print")
    args = parser.parse_args()
    claims, pairs = load_matching()
    matching = evaluate_matching(claims, pairs, show=args.show)
    worthiness = evaluate_worthiness(show=args.show)
    print("\n".join(report(matching, worthiness)))
    met = all((matching | worthiness)[name] >= target for name, target in TARGETS.items())
    return 0 if met or args.no_targets else 1


if __name__ == "__main__":
    sys.exit(main())
