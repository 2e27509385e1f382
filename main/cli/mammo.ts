/**
 * `mammo`: the command-line face of the back end. Each command validates its input with the
 * same API schemas the other transports use.
 */
import { parseArgs } from 'node:util';
import { MammoBackend } from '../backend/MammoBackend.js';
import { WorkspaceDirError, resolveWorkspaceDir } from '../workspace/resolveWorkspaceDir.js';
import { analyzeCommand } from './analyzeCommand.js';
import { evaluateCommand } from './evaluateCommand.js';
import { finetuneCommand, jobsCommand } from './finetuneCommand.js';
import { trainCommand } from './trainCommand.js';
import { importCommand } from './importCommand.js';
import { modelsCommand } from './modelsCommand.js';
import { studiesCommand } from './studiesCommand.js';
import { UsageError } from './UsageError.js';
import { exportCommand } from './exportCommand.js';
import { reportCommand } from './reportCommand.js';
import { pacsCommand } from './pacsCommand.js';
import { listenCommand } from './listenCommand.js';

export interface CommandContext {
  backend: MammoBackend;
  args: string[];
  json: boolean;
  stdout: (line: string) => void;
  stderr: (line: string) => void;
}

/** A command returns the process exit code. */
export type Command = (context: CommandContext) => Promise<number>;

const COMMANDS: Readonly<Record<string, Command>> = {
  import: importCommand,
  studies: studiesCommand,
  analyze: analyzeCommand,
  evaluate: evaluateCommand,
  models: modelsCommand,
  train: trainCommand,
  finetune: finetuneCommand,
  jobs: jobsCommand,
  report: reportCommand,
  export: exportCommand,
  pacs: pacsCommand,
  listen: listenCommand,
};

const USAGE = `usage: mammo [--workspace DIR] <command> [options]

commands:
  import PATH... [--format dicom|mias|cbis-ddsm] [--json]
                                                  import files or folders into the workspace (mias and
                                                  cbis-ddsm: labelled data sets in their published layouts)
  studies [--json]                                list the studies in the workspace
  analyze (IMAGE-ID | STUDY-ID | FILE) [--model ID] [--json]
                                                  run the AI on an image, a study (study:N) or a file
  evaluate --images DIR --annotations FILE [--model ID] [--against ID] [--split all|validation|train] [--limit N] [--json]
                                                  measure a model on a mini-MIAS folder (FILE: its CSV) or a
                                                  CBIS-DDSM folder (FILE: its _annotations.coco.json); --against:
                                                  paired differences from another version on the same images
  models list [--json] | models promote ID | models rollback
  train [--data MIAS_DIR] --out MODEL_DIR [--steps N] [--size S] [--width W] [--replicas N] [--threads N] [--json]
                                                  train a model from scratch on the workspace's training split
                                                  (each batch in N data-parallel shares, 2 by default, one
                                                  thread per share up to the cores; --threads 1: same model)
  finetune [--steps N] [--size S] [--auto-promote] [--json]
                                                  fine-tune the current model on the labelled samples its
                                                  lineage has not learned (corrections, imported ground
                                                  truth), then gate it; a person promotes the candidate
                                                  (models promote ID) unless --auto-promote and it passes
  jobs [--json]                                   fine-tune jobs and their verdicts
  report STUDY --reader NAME [--birads 0-6|4A|4B|4C] [--density a-d] [--impression TEXT] [--finalize]
         [--amend REASON] [--json]                start or edit the study's report draft, finalise or amend it
  export STUDY [--pdf FILE] [--json FILE] [--sr FILE] [--seg DIR] [--fractional-seg DIR] [--training DIR]
                                                  write the report (PDF, JSON), DICOM SEG of the final masks,
                                                  fractional SEG of the AI maps, Mammography CAD SR, or the
                                                  de-identified training samples; each atomically
  pacs add NAME --url DICOMWEB_URL [--aet AET --host HOST --port PORT] [--user U --password-file F | --token-file F]
  pacs list | pacs remove NAME | pacs test NAME   PACS nodes (secrets stay in the workspace)
  pacs query --node NAME [--patient NAME] [--patient-id ID] [--accession A] [--from DATE] [--to DATE] [--modality MG]
                                                  search the PACS (QIDO-RS); prints each studyInstanceUID
  pacs retrieve STUDY_UID --node NAME             fetch a study (WADO-RS) through the import; only what is missing
  pacs send STUDY (--seg | --sr | --pdf) --node NAME
                                                  store results back (STOW-RS); pacs retry PUSH_ID resends a failed one
  listen --port P --aet AET --allow AE[,AE...]    receive studies over DICOM (C-STORE) until Ctrl-C

The workspace is --workspace DIR, else $MAMMO_WORKSPACE, else the per-user app data folder.
Errors are one line; --debug adds the stack trace.`;

export async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    options: {
      workspace: { type: 'string' },
      json: { type: 'boolean', default: false },
      help: { type: 'boolean', short: 'h', default: false },
      debug: { type: 'boolean', default: false },
    },
    allowPositionals: true,
    strict: false,
  });
  const [name] = positionals;
  const command = name ? COMMANDS[name] : undefined;
  if (values.help || !command) {
    (command || values.help ? console.log : console.error)(USAGE);
    return values.help ? 0 : 2;
  }
  // A user gets one line for any failure; the stack only with --debug.
  const fail = (message: string, error: unknown): number => {
    console.error(`mammo ${name}: ${message}`);
    if (values.debug === true && error instanceof Error && error.stack) console.error(error.stack);
    return 1;
  };
  if (values.workspace === true) return usageError(name!, '--workspace needs a folder');
  let workspaceDir: string;
  try {
    workspaceDir = resolveWorkspaceDir(typeof values.workspace === 'string' ? values.workspace : undefined);
  } catch (error) {
    if (error instanceof WorkspaceDirError) return usageError(name!, error.message);
    throw error;
  }
  let backend: MammoBackend;
  try {
    backend = MammoBackend.open(workspaceDir);
  } catch (error) {
    return fail(`cannot open the workspace ${workspaceDir}: ${messageOf(error)}`, error);
  }
  try {
    return await command({
      backend,
      // Commands re-parse their own options from the arguments after the command name.
      args: argv.slice(argv.indexOf(name as string) + 1).filter((arg) => arg !== '--debug'),
      json: values.json === true,
      stdout: (line) => process.stdout.write(`${line}\n`),
      stderr: (line) => process.stderr.write(`${line}\n`),
    });
  } catch (error) {
    if (error instanceof UsageError) return usageError(name!, error.message);
    return fail(messageOf(error), error);
  } finally {
    await backend.close();
  }
}

/** Bad usage: one line naming what is wrong (the usage text is `mammo --help`), exit 2. */
function usageError(command: string, message: string): number {
  console.error(`mammo ${command}: ${message}`);
  return 2;
}

function messageOf(error: unknown): string {
  if (!(error instanceof Error)) return String(error);
  const code = (error as NodeJS.ErrnoException).code;
  return code === 'ENOSPC' ? `the disk is full (${error.message})` : error.message;
}
