"""The optional compiled part of the package; everything else is in pyproject.toml.

``feedback_miner.text._route`` (jieba's inner loops in C) and
``feedback_miner.sentiment._longest`` (the sentiment segmenter's word search)
are built when a C compiler is there. Without one, installing still succeeds
and the package uses jieba's own Python code and pyahocorasick: the results are
the same (see feedback_miner/text/route.py and feedback_miner/sentiment/segment.py).
"""

from setuptools import Extension, setup

setup(
    ext_modules=[
        Extension(
            "feedback_miner.text._route",
            sources=["feedback_miner/text/_route.c"],
            optional=True,
        ),
        Extension(
            "feedback_miner.sentiment._longest",
            sources=["feedback_miner/sentiment/_longest.c"],
            optional=True,
        ),
    ]
)
