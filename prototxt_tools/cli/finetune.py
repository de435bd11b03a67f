"""From a pretrained net and two image lists to a checked, ready-to-run fine-tuning job.

Reads the lists (class count, labels 0..N-1, images per class, sortedness), then writes
into DIR: train_val.prototxt (data layers on the lists, the head replaced for N classes,
the freezing the dataset size and similarity call for), solver.prototxt (fine-tuning
base_lr, schedule from --epochs, test_iter from the validation size, snapshots into
DIR/snapshots/, GPU), deploy.prototxt, train.sh (the caffe train line, logged to
train.log for `ptx log --follow`) and FINETUNE.md (every decision, why, how to change
it).  Before writing, everything is checked together: lint, the weight copy from
--weights, and -- when pycaffe is there -- Caffe builds both phases and a few SGD steps
show frozen layers still and the head moving.  A failed check writes nothing (exit 1)
unless --force.

Example:  ptx finetune deploy.prototxt --weights model.caffemodel --train train.txt --val val.txt -o job
"""
from __future__ import annotations

HELP = "a checked fine-tuning job folder from a net, weights and two image lists"


def add_arguments(parser) -> None:
    parser.add_argument("net", metavar="NET", help="pretrained net: deploy or train_val .prototxt")
    parser.add_argument("--train", required=True, metavar="LIST",
                        help="training list ('path label' per line) or LMDB folder")
    parser.add_argument("--val", required=True, metavar="LIST", help="validation list or LMDB")
    parser.add_argument("-o", "--output", required=True, metavar="DIR", help="job folder to write")
    parser.add_argument("--weights", metavar="CAFFEMODEL", help="pretrained weights")
    classes = parser.add_mutually_exclusive_group()
    classes.add_argument("--classes", type=int, metavar="N", help="number of classes")
    classes.add_argument("--labels", metavar="FILE", help="class names, one per line")
    similar = parser.add_mutually_exclusive_group()
    similar.add_argument("--similar", dest="similar", action="store_const", const=True,
                         help="the images resemble the pretraining data (default assumption)")
    similar.add_argument("--different", dest="similar", action="store_const", const=False,
                         help="the images are unlike the pretraining data")
    parser.add_argument("--strategy", metavar="NAME", help="feature-extractor, early-features"
                        "[=LAYER], freeze-fraction[=F], fine-tune-all, from-scratch "
                        "(default: from the data size and similarity)")
    parser.add_argument("--epochs", type=int, default=10, help="passes over the training list "
                        "(default 10)")
    parser.add_argument("--batch", type=int, default=32, help="batch size (default 32)")
    parser.add_argument("--gpu", default="0", help="caffe train -gpu value (default 0)")
    parser.add_argument("--optimizer", default="SGD", help="SGD (default), Nesterov, Adam, "
                        "RMSProp, AdaGrad, AdaDelta")
    parser.add_argument("--base-lr", type=float, metavar="X", help="override the learning rate")
    parser.add_argument("--root-folder", metavar="DIR", help="folder the list's paths are "
                        "relative to (default: found by looking the first images up)")
    mean = parser.add_mutually_exclusive_group()
    mean.add_argument("--mean-file", metavar="BINARYPROTO", help="mean image")
    mean.add_argument("--mean-values", metavar="B,G,R", help="per-channel means")
    schema = parser.add_mutually_exclusive_group()
    schema.add_argument("--fork", metavar="NAME", help="the net is for a known Caffe fork: read "
                        "and lint it with ptx's schema of that fork (the Caffe check is skipped)")
    schema.add_argument("--schema", metavar="PROTO", help="the fork's caffe.proto")
    parser.add_argument("--train-steps", type=int, default=2, metavar="N",
                        help="SGD steps Caffe runs in the check (default 2; 0: build only)")
    parser.add_argument("--no-caffe", action="store_true", help="skip the Caffe check")
    parser.add_argument("--timeout", type=float, default=600.0, metavar="S",
                        help="give up on each Caffe run after S seconds (default 600)")
    parser.add_argument("--force", action="store_true", help="write even when a check fails")
    parser.add_argument("--json", action="store_true", help="decisions and checks as JSON")


def run(args) -> int:
    from ..errors import PtxError
    from ..finetuning import finetune
    from ..forks import schema_option
    if args.train_steps < 0 or args.timeout <= 0:
        raise PtxError("--train-steps must be >= 0 and --timeout > 0")
    result = finetune(args.net, args.train, args.val, args.output, weights=args.weights,
                      force=args.force, train_steps=args.train_steps, caffe=not args.no_caffe,
                      timeout=args.timeout, classes=args.classes, labels=args.labels,
                      similar=args.similar, strategy=args.strategy, epochs=args.epochs,
                      batch=args.batch, gpu=args.gpu, optimizer=args.optimizer,
                      base_lr=args.base_lr, root_folder=args.root_folder,
                      mean_file=args.mean_file, mean_values=_means(args.mean_values),
                      schema=schema_option(args.fork, args.schema))
    if args.json:
        from ..formats.json import dumps
        print(dumps(as_json(result), indent=2))
    else:
        for line in result.summary:
            print(line)
    return 0 if result.ok else 1


def _means(text):
    from ..errors import PtxError
    if text is None:
        return ()
    try:
        return tuple(float(v) for v in text.split(","))
    except ValueError:
        raise PtxError(f"--mean-values wants numbers like 104,117,123, got {text!r}") from None


def as_json(result) -> dict:
    return {"output": result.out_dir, "ok": result.ok, "written": result.written,
            "classes": result.classes, "heads": result.heads, "command": result.command,
            "decisions": [vars(d) for d in result.decisions],
            "checks": [dict(vars(c), failed=c.failed) for c in result.checks],
            "changes": result.changes, "notes": result.notes}
