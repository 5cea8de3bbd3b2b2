/**
 * The top of the generated tsm_job.py: docstring, imports, the embedded parameters (__PARAMS__ is replaced by the project as JSON), UserError.
 * Python source kept as a string so the bundles carry it (generated job: tsm_job.py).
 */
export const PY_HEADER = String.raw`#!/usr/bin/env python3
"""Training Set Maker job on LSDB + Dask.

Written by "tsm export --target lsdb": the same steps as "tsm run" for the project below
(crossmatch, photometry, dereddening, unique galaxies, train/test split) on a Dask cluster:
a LocalCluster by default, or any dask.distributed scheduler (--scheduler tcp://host:8786), so
Slurm (dask-jobqueue) and Kubernetes (dask-kubernetes) deployments work the same way.
Usage: python tsm_job.py [--scheduler ADDRESS | --workers N] [--dust-maps DIR] [--out DIR]
See README.md next to this file.
"""
import argparse
import decimal
import functools
import json
import math
import os
import re
import shutil
import sys
import time
from pathlib import Path

import numpy as np
import pandas as pd
import pyarrow as pa
import pyarrow.parquet as pq

PARAMS = json.loads(
    r"""
__PARAMS__
"""
)


class UserError(Exception):
    """A problem with the inputs: the message names the file, column or field and what to do."""

`;
