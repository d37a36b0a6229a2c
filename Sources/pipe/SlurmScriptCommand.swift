import ArgumentParser
import Foundation

/// `pipe slurm-script --workers 4 -- ingest tau2020 --data /corpora --out /shared/store`: prints a
/// script that submits the ingest as a Slurm job array (`sbatch --array=0-(N-1)`, one worker per
/// array task, its index from `SLURM_ARRAY_TASK_ID`) and `pipe merge STORE` as a job that starts
/// only when every array task succeeded (`--dependency=afterok:<array job>`).
///
/// It prints a script rather than calling `sbatch` so that the user can read, keep and edit what
/// runs on their cluster; `bash script` submits it.
struct SlurmScriptCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "slurm-script",
        abstract: "Print a script that submits an ingest as a Slurm job array plus the dependent `pipe merge`.",
        discussion: """
        The arguments after -- are the `pipe ingest` or `pipe run` command of one worker (with --out; \
        without --shard-index/--shard-count: each array task reads its index from SLURM_ARRAY_TASK_ID). \
        Paths are kept as given and the jobs run in the current directory (--chdir), so relative paths \
        work on a shared file system.

        Example:
          pipe slurm-script --workers 4 --cpus-per-task 2 -- ingest tau2020 --data /corpora --out /shared/store > submit.sh
          bash submit.sh
        """)

    @Option(help: "Number of array tasks (workers).")
    var workers: Int

    @Option(help: "Cores per array task (sbatch --cpus-per-task; each worker runs that many threads).")
    var cpusPerTask: Int = 1

    @Option(help: "Folder for the jobs' output files (created by the script).")
    var logs: String = "slurm-logs"

    @Option(help: "The pipe executable the jobs run (default: this one).")
    var pipe: String?

    @Option(name: .customLong("sbatch"), help: ArgumentHelp("An extra sbatch option for both jobs, e.g. --sbatch=--partition=debug.", valueName: "option"))
    var sbatchOptions: [String] = []

    @Argument(parsing: .postTerminator, help: "The worker's command: ingest … or run … (after --).")
    var command: [String] = []

    func validate() throws {
        guard workers >= 1 else { throw ValidationError("--workers must be at least 1") }
        guard cpusPerTask >= 1 else { throw ValidationError("--cpus-per-task must be at least 1") }
        guard let first = command.first, ["ingest", "run"].contains(first) else {
            throw ValidationError("give the worker's command after --: ingest … or run …")
        }
        guard store != nil else { throw ValidationError("the worker's command needs --out STORE (the merge job finalizes it)") }
        for flag in ["--shard-index", "--shard-count", "--overwrite", "--threads"]
        where command.contains(where: { $0 == flag || $0.hasPrefix(flag + "=") }) {
            throw ValidationError("leave \(flag) out of the worker's command: the array task's index, count and cores come from Slurm")
        }
    }

    /// The value of the worker command's `--out`.
    var store: String? {
        for (position, argument) in command.enumerated() {
            if argument.hasPrefix("--out=") { return String(argument.dropFirst(6)) }
            if argument == "--out", position + 1 < command.count { return command[position + 1] }
        }
        return nil
    }

    func run() throws {
        print(SlurmScript(workers: workers, cpusPerTask: cpusPerTask, logs: logs,
                          pipe: pipe ?? Self.currentExecutable(),
                          directory: FileManager.default.currentDirectoryPath,
                          sbatchOptions: sbatchOptions, command: command, store: store ?? "").text)
    }

    static func currentExecutable() -> String {
        (try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe"))
            ?? URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL.path
    }
}

/// The text of the submission script.
struct SlurmScript {
    let workers: Int
    let cpusPerTask: Int
    let logs: String
    let pipe: String
    let directory: String
    let sbatchOptions: [String]
    let command: [String]
    let store: String

    var text: String {
        let extra = sbatchOptions.map { " " + quoted($0) }.joined()
        // A worker exits 3 when some inputs were rejected; they are listed in the manifest, and a
        // non-zero status would keep the merge from starting (afterok), so workers accept them.
        let worker = ([pipe] + command + ["--accept-rejections", "--progress", "lines"]).map(quoted).joined(separator: " ")
        let merge = [pipe, "merge", store].map(quoted).joined(separator: " ")
        let rerun = worker + " --shard-index \"$SLURM_ARRAY_TASK_ID\" --shard-count \(workers)"
        return """
        #!/bin/bash
        # Written by `pipe slurm-script`: \(workers) array tasks compute the shards of \(store)
        # (task I takes the contiguous shard range [I*S/\(workers), (I+1)*S/\(workers))), then one job merges them
        # when every task succeeded (afterok). Prints the two job ids (array, merge).
        #   bash <this file>          submit the whole array (each task's index from SLURM_ARRAY_TASK_ID)
        #   bash <this file> 2 3      rerun only tasks 2 and 3 (after a failure: `pipe merge` names the
        #                             tasks that owe shards), then the merge
        set -euo pipefail
        mkdir -p \(quoted(logs))
        if [ $# -gt 0 ]; then
          for task in "$@"; do
            case "$task" in (*[!0-9]*|'') echo "not a task index: $task" >&2; exit 2;; esac
            [ "$task" -lt \(workers) ] || { echo "task $task is outside 0-\(workers - 1)" >&2; exit 2; }
          done
          tasks=$(IFS=,; echo "$*")
          # A rerun's array ids are not 0-(N-1), so the index and count are passed explicitly.
          array=$(sbatch --parsable --job-name=acousticpipe-ingest --array="$tasks" \\
            --cpus-per-task=\(cpusPerTask) --chdir=\(quoted(directory))\(extra) \\
            --output=\(quoted(logs))/ingest-%A_%a.out \\
            --wrap=\(quoted(rerun)))
        else
          array=$(sbatch --parsable --job-name=acousticpipe-ingest --array=0-\(workers - 1) \\
            --cpus-per-task=\(cpusPerTask) --chdir=\(quoted(directory))\(extra) \\
            --output=\(quoted(logs))/ingest-%A_%a.out \\
            --wrap=\(quoted(worker)))
        fi
        array=${array%%;*}
        merge=$(sbatch --parsable --job-name=acousticpipe-merge --dependency=afterok:"$array" --kill-on-invalid-dep=yes \\
          --chdir=\(quoted(directory))\(extra) --output=\(quoted(logs))/merge-%j.out \\
          --wrap=\(quoted(merge)))
        echo "$array ${merge%%;*}"
        """
    }

    /// Single-quoted for the shell (a ' inside becomes '\\'').
    func quoted(_ text: String) -> String {
        let safe = CharacterSet(charactersIn: "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_./=:,+@%")
        if !text.isEmpty, text.unicodeScalars.allSatisfy(safe.contains) { return text }
        return "'" + text.replacingOccurrences(of: "'", with: "'\\''") + "'"
    }
}
