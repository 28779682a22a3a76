"""音视频解读: mp4/webm/mp3 attachments played with controls beside their required 文字稿 (a .vtt caption
file, also the player's captions, or a .txt transcript); media a document body plays must be such
attachments; the files reach the site only with a published document.

No ffmpeg or sox on the build machines: the media files are made here, an MPEG audio file of silent
frames and a few bytes standing for a video (the build never decodes them).
"""
from __future__ import annotations

from _relations_helpers import MZJ, doc, error_lines, page_text

SILENT_MP3_FRAME = b"\xff\xfb\x90\xc0" + bytes(413)   # MPEG-1 Layer III, 128 kbit/s, 44.1 kHz, mono: 417 bytes
VTT = "WEBVTT\n\nNOTE 字幕的说明不显示\n\n1\n00:00:00.000 --> 00:00:03.000\n<v 主持人>各位好，今天解读《示例县临时救助办法》。\n\n" \
      "2\n00:00:03.000 --> 00:00:06.000\n临时救助由乡镇人民政府受理，&lt;急难型&gt;救助可先行救助。\n"
TXT = "各位听众好。\n这里是临时救助政策的音频解读。\n\n申请临时救助，可向户籍所在地乡镇人民政府提出。\n"
PAGE = "wj/000000003-2023-00060/index.html"


def media_doc(index_no: str, attachments: str, body: str = "正文。", attribute: str = "主动公开") -> str:
    return doc(index_no, "解读形式: 音视频解读", "解读对象: 000000001/2023-00008", f"附件: {attachments}", publisher=MZJ, validity=None,
               column="法定主动公开内容/政策解读", title="《示例县临时救助办法》音视频解读",
               attribute=attribute).replace("正文。", body)


def add_media(project, folder: str = "content/documents/2023/jd") -> None:
    root = project.root / folder
    root.mkdir(parents=True, exist_ok=True)
    (root / "jiedu.mp4").write_bytes(b"\x00\x00\x00\x18ftypmp42" + bytes(64))
    (root / "jiedu.vtt").write_text(VTT, encoding="utf-8")
    (root / "jiedu.mp3").write_bytes(SILENT_MP3_FRAME * 8)
    (root / "jiedu.txt").write_text(TXT, encoding="utf-8")


BOTH = ("[{文件: jd/jiedu.mp4, 名称: 视频解读, 文字稿: jd/jiedu.vtt}, "
        "{file: jd/jiedu.mp3, title: 音频解读, transcript: jd/jiedu.txt}]")


def test_players_with_captions_and_transcripts_and_the_files_are_copied(make_project):
    project = make_project()
    add_media(project)
    project.write("content/documents/2023/jd.md", media_doc("000000003/2023-00060", BOTH))
    result = project.build("--strict")
    assert result.ok, result.output
    source = (result.site / PAGE).read_text(encoding="utf-8")
    assert ('<video controls preload="metadata" src="../../documents/2023/jd/jiedu.mp4" aria-describedby="zf-media-1-t">'
            '<track kind="captions" src="../../documents/2023/jd/jiedu.vtt" srclang="zh" label="中文字幕" default>') in source
    assert '<audio controls preload="metadata" src="../../documents/2023/jd/jiedu.mp3" aria-describedby="zf-media-2-t">' in source
    text = page_text(result.site / PAGE)
    assert ("视频解读（视频（.mp4），0.1 KB） 文字稿（与字幕相同） 各位好，今天解读《示例县临时救助办法》。 "
            "临时救助由乡镇人民政府受理，<急难型>救助可先行救助。") in text
    assert "音频解读（音频（.mp3），3.3 KB） 文字稿 各位听众好。 这里是临时救助政策的音频解读。 申请临时救助，可向户籍所在地乡镇人民政府提出。" in text
    assert "NOTE" not in text and "-->" not in text
    for name in ("jiedu.mp4", "jiedu.vtt", "jiedu.mp3"):
        assert (result.site / "documents/2023/jd" / name).read_bytes() == (project.content / "documents/2023/jd" / name).read_bytes()
    assert (result.site / "documents/2023/jd/jiedu.txt").exists()   # the transcript is also downloadable


def test_a_withheld_documents_media_and_transcripts_are_never_copied(make_project):
    project = make_project()
    add_media(project)
    project.write("content/documents/2023/jd.md", media_doc("000000003/2023-00060", BOTH, attribute="不予公开"))
    result = project.build("--strict")
    assert result.ok, result.output
    assert not list(result.site.rglob("jiedu.*"))


def test_media_without_a_transcript_is_an_error_in_chinese(make_project):
    project = make_project()
    add_media(project)
    project.write("content/documents/2023/a.md", media_doc("000000003/2023-00061", "[jd/jiedu.mp4]"))
    project.write("content/documents/2023/b.md", media_doc("000000003/2023-00062",
                                                           "[{file: jd/jiedu.mp3, transcript: jd/jiedu.pdf}]"))
    project.write("content/documents/2023/c.md", media_doc("000000003/2023-00063",
                                                           "[{file: jd/jiedu.mp3, transcript: jd/none.txt}]"))
    result = project.build()
    assert not result.ok
    assert error_lines(result.output) == [
        "错误 content/documents/2023/a.md:12: [attachments] 「附件」音视频文件“jd/jiedu.mp4”缺少文字稿：请在该附件下写 "
        "transcript（文字稿），填同目录的字幕文件（.vtt）或文字稿（.txt），供听障读者和无法播放的读者阅读",
        "错误 content/documents/2023/b.md:12: [attachments] 「附件」“jd/jiedu.mp3”的文字稿“jd/jiedu.pdf”须为 .vtt 字幕或 .txt 文字稿",
        "错误 content/documents/2023/c.md:12: [attachments] 「附件」“jd/jiedu.mp3”的文字稿“jd/none.txt”不存在"
        "（应位于 content/documents/2023/jd/none.txt）",
    ]


def test_the_body_may_play_a_local_media_attachment_only(make_project):
    project = make_project()
    add_media(project)
    body = '<video src="jd/jiedu.mp4" autoplay><track kind="captions" src="jd/jiedu.vtt" srclang="zh"></video>'
    project.write("content/documents/2023/jd.md", media_doc("000000003/2023-00060", BOTH, body=body))
    result = project.build("--strict")
    assert not result.ok and "已移除正文中不允许的 HTML：autoplay 属性" in result.output
    project.write("content/documents/2023/jd.md", media_doc("000000003/2023-00060", BOTH, body=body.replace(" autoplay", "")))
    result = project.build("--strict")
    assert result.ok, result.output
    source = (result.site / PAGE).read_text(encoding="utf-8")
    assert ('<video src="../../documents/2023/jd/jiedu.mp4" controls=""><track kind="captions" '
            'src="../../documents/2023/jd/jiedu.vtt" srclang="zh"></video>') in source
    assert source.count("<video") == 1      # the attachment's player is not repeated; its 文字稿 is
    assert "视频解读（视频（.mp4），0.1 KB） 文字稿（与字幕相同） 各位好" in page_text(result.site / PAGE)

    project.write("content/documents/2023/jd.md", media_doc(
        "000000003/2023-00060", "[{file: jd/jiedu.mp4, transcript: jd/jiedu.vtt}]",
        body='<audio src="jd/jiedu.mp3"></audio>\n\n<video src="https://video.example.com/a.mp4"></video>'))
    result = project.build()
    assert not result.ok
    assert ("错误 content/documents/2023/jd.md:15: [attachments] 正文播放的音视频“jd/jiedu.mp3”须列入「附件」并写明文字稿"
            "（transcript：.vtt 字幕或 .txt 文字稿）") in error_lines(result.output)


def test_a_transcript_with_personal_information_is_reported(make_project):
    from _attachment_helpers import ID_18
    project = make_project()
    add_media(project)
    (project.content / "documents/2023/jd/jiedu.txt").write_text(f"申请人身份证号 {ID_18}\n", encoding="utf-8")
    project.write("content/documents/2023/jd.md", media_doc("000000003/2023-00060", BOTH))
    result = project.build("--strict")
    assert not result.ok
    assert any(line.startswith("错误 content/documents/2023/jd/jiedu.txt") and "身份证号码" in line
               for line in error_lines(result.output)), result.output
