"""A question to a large folder reads the rows of its shortlist's sections from the folder's
vectors file: each run of rows straight into its place, and what a file cut short lacks as NaN."""

from __future__ import annotations

import numpy as np

from knowledge.rank.semantic import DIMENSIONS
from knowledge.store.cache import read_folder_vectors, write_folder_vectors


def test_rows_read_by_number_are_the_files_and_a_file_cut_short_reads_as_nan(tmp_path):
    path = tmp_path / "vectors-folder-model.npy"
    rows = np.random.default_rng(5).normal(size=(50, DIMENSIONS)).astype(np.float16)
    write_folder_vectors(path, len(rows), [rows[:20], rows[20:]])
    mapped = read_folder_vectors(path, len(rows))
    try:
        wanted = np.array([0, 1, 2, 7, 19, 20, 21, 30, 48, 49])  # several runs, the last rows too
        assert np.array_equal(mapped[wanted], rows[wanted])
        assert np.array_equal(mapped[3:9], rows[3:9])
        # Cut short after it was checked: the last row and a half are gone.
        with open(path, "r+b") as handle:
            handle.truncate(path.stat().st_size - DIMENSIONS * 3)
        got = mapped[wanted]
        assert np.array_equal(got[:-2], rows[wanted[:-2]])
        assert np.isnan(got[-2:]).all()
    finally:
        mapped.close()
