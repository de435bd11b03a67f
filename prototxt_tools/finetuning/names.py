"""The files a fine-tuning job writes: one place for the planner and the text builders."""

TRAIN_VAL, DEPLOY, SOLVER, SCRIPT, REPORT = (
    "train_val.prototxt", "deploy.prototxt", "solver.prototxt", "train.sh", "FINETUNE.md")
