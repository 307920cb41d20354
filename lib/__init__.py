"""Linkscope's logic: everything that is not UI (it never imports streamlit)."""

import os

import pyarrow as pa

# Arrow's default allocator here (mimalloc) hands freed memory back to the system at once, so every large
# table is built on fresh pages: on a million backlinks the import spent ~1.5 s of its CPU in the kernel
# (page faults) against ~0.5 s with the system allocator, and most analyses ran 5-15% faster with it
# (bench/README.md, "Arrow's memory pool"). Someone who chose a pool with Arrow's own variable keeps it.
if not os.environ.get("ARROW_DEFAULT_MEMORY_POOL"):
    pa.set_memory_pool(pa.system_memory_pool())
