"""Social posts (Weibo, 小红书, app-store reviews): the author's own words only.

Reposted text after ``//@user:`` belongs to others and is cut; URLs, the link
placeholder 网页链接 and @mentions are removed; ``#话题#`` hashtags are taken out
of the text and kept as metadata. Bracket emoticons (``[怒]``) and emoji stay:
the sentiment lexicon scores them.
"""

from __future__ import annotations

import re

__all__ = ["clean_social_post"]

_REPOST = re.compile(r"//\s*@")
_URL = re.compile(r"(?:https?://|www\.)[^\s\u4e00-\u9fff，。！？]+|\bt\.cn/\w+", re.I)
_LINK_PLACEHOLDER = re.compile(r"O?网页链接|L[\u4e00-\u9fff\w]{0,20}的微博视频")
_MENTION = re.compile(r"(?:回复)?@[\w\u4e00-\u9fff\-]{1,30}[:：]?")
_HASHTAG = re.compile(r"#([^#\n]{1,40})#")
_DEFAULT_REPOST = re.compile(r"^\s*(?:转发微博|轉發微博|repost|分享图片|分享圖片)\s*$", re.I)
_SPACES = re.compile(r"[ \t]{2,}")


def clean_social_post(text: str) -> tuple[str, list[str]]:
    """Return the post's own text and its hashtags.

    Examples
    --------
    >>> clean_social_post("#悦看视频# 又乱扣费了[怒] @悦看客服 http://t.cn/A6x //@小王:同感")
    ('又乱扣费了[怒]', ['悦看视频'])
    >>> clean_social_post("转发微博")
    ('', [])
    """
    own = _REPOST.split(text, maxsplit=1)[0]
    topics = [t.strip() for t in _HASHTAG.findall(own) if t.strip()]
    own = _HASHTAG.sub(" ", own)
    own = _URL.sub(" ", own)
    own = _LINK_PLACEHOLDER.sub(" ", own)
    own = _MENTION.sub(" ", own)
    if _DEFAULT_REPOST.match(own):
        own = ""
    return _SPACES.sub(" ", own).strip(), topics
