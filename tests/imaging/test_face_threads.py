"""OpenCV's cascade classifier keeps per-image state inside the classifier: worker threads
(dramatiq runs several per process) detecting at once on one shared classifier can crash
or find the other thread's faces. Each thread gets its own; results match one thread's.
Run in a child process, so a crash is a failure, not the end of the test run."""

from __future__ import annotations

import subprocess
import sys
import textwrap

CHILD = textwrap.dedent(
    """
    import threading
    import numpy as np
    from skimage import data
    from pipeline.config import FaceConfig
    from pipeline.imaging import face

    cfg = FaceConfig()
    images = [np.ascontiguousarray(im[:, :, ::-1]) for im in
              (data.astronaut(), data.coffee(), data.chelsea())]
    alone = [face.faces_in(im, cfg) for im in images]
    wrong = []

    def work(k):
        for i in range(40):
            n = (i + k) % len(images)
            if face.faces_in(images[n], cfg) != alone[n]:
                wrong.append(n)

    threads = [threading.Thread(target=work, args=(k,)) for k in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    print(len(wrong), sum(map(len, alone)))
    """
)


def test_threads_detecting_faces_at_once_find_what_one_thread_finds():
    done = subprocess.run(
        [sys.executable, "-c", CHILD], capture_output=True, text=True, timeout=300, check=False
    )
    assert done.returncode == 0, done.stderr[-2000:]
    wrong, faces = map(int, done.stdout.split())
    assert faces >= 1  # the astronaut's face: the comparison means something
    assert wrong == 0
