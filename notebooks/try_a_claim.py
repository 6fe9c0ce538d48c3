# ---
# jupyter:
#   jupytext:
#     text_representation:
#       extension: .py
#       format_name: percent
#   kernelspec:
#     display_name: Python 3
#     language: python
#     name: python3
# ---

# %% tags=["parameters"]
sentence = "36% van de studenten van Saxion en de Universiteit Twente zijn technische studenten."
date = "2017-10-18"  # the publication date (YYYY-MM-DD): the claim's date and real-time cut-off
context = ""  # the sentence before it, for "daar", "in die periode", a sector named earlier
source_url = ""  # the publication's URL
publisher = ""  # who published it (default: the URL's host)
title = ""  # the publication's title
lang = "nl"  # the language of the controls and the output: "nl" or "en"
registry_path = ""  # where the write button adds the entry ("": my_claims.toml in the project folder)

# %%
# Try a claim: paste a sentence, see the claim reader's reading, change it with the controls and see the
# verdict, the deciding fact and the specification curve change; the button writes the entry to a registry
# (then: make report REGISTRY=<that file>). The controls and what they compute: analysis.reader.widgets.
from analysis.reader.widgets import ClaimTryout
from analysis.report import plots

plots.use_house_style()
tryout = ClaimTryout(sentence, date, lang=lang, context=context, source_url=source_url, publisher=publisher,
                     title=title, registry_path=registry_path)
tryout.widget()
