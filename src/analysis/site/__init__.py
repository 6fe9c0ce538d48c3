"""The site machinery: plan the pages, execute their notebooks, render both editions, swap the
finished site in; one region (:mod:`.build`) or all of them (:mod:`.atlas`). What a page says is
the business of :mod:`analysis.report`."""
