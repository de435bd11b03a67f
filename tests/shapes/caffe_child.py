"""Runs in a child process with pycaffe: instantiate many nets, one JSON line per net.

    python caffe_child.py JOBS.json OUT.jsonl

Each job: {"key", "net" (path), "phase", "weights" (optional), "save" (optional),
"save_hdf5" (optional), "values" (optional: return parameter values, by name and, for
nets with duplicate layer names, by layer index in "layer_values")}.  A result line is flushed after each
net, so when Caffe aborts the parent knows which net did it and restarts after it.
"""
import json
import sys


def describe(caffe, net, want_values):
    out = {"blobs": {name: list(blob.data.shape) for name, blob in net.blobs.items()},
           "params": {name: [list(b.data.shape) for b in blobs] for name, blobs in net.params.items()}}
    if want_values:
        out["values"] = {name: [b.data.ravel().tolist() for b in blobs]
                         for name, blobs in net.params.items()}
        out["layer_values"] = [[name, [b.data.ravel().tolist() for b in layer.blobs]]
                               for name, layer in zip(net._layer_names, net.layers)]
    return out


def main(jobs_file, out_file):
    import caffe
    caffe.set_mode_cpu()
    with open(jobs_file) as fh:
        jobs = json.load(fh)
    with open(out_file, "a") as out:
        for job in jobs:
            phase = caffe.TEST if job["phase"] == "TEST" else caffe.TRAIN
            net = caffe.Net(job["net"], phase)
            if job.get("weights"):
                net.copy_from(job["weights"])
            if job.get("save"):
                net.save(job["save"])
            if job.get("save_hdf5"):
                net.save_hdf5(job["save_hdf5"])
            result = describe(caffe, net, job.get("values"))
            result["key"] = job["key"]
            out.write(json.dumps(result) + "\n")
            out.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1], sys.argv[2]))
