import type { Migration } from '../runMigrations.js';
import { migration0001 } from './0001_imaging.js';
import { migration0002 } from './0002_ground_truth.js';
import { migration0003 } from './0003_model_registry.js';
import { migration0004 } from './0004_predictions.js';
import { migration0005 } from './0005_training_samples.js';
import { migration0006 } from './0006_fine_tune_jobs.js';
import { migration0007 } from './0007_annotations.js';
import { migration0008 } from './0008_reports.js';
import { migration0009 } from './0009_pacs.js';
import { migration0010 } from './0010_job_loss_history.js';
import { migration0011 } from './0011_cbis_ddsm.js';
import { migration0012 } from './0012_reader_drafts.js';
import { migration0013 } from './0013_job_owner.js';
import { migration0014 } from './0014_push_owner.js';

/** Every schema migration, in order. Add new ones at the end; never edit an applied one. */
export const MIGRATIONS: readonly Migration[] = [
  migration0001,
  migration0002,
  migration0003,
  migration0004,
  migration0005,
  migration0006,
  migration0007,
  migration0008,
  migration0009,
  migration0010,
  migration0011,
  migration0012,
  migration0013,
  migration0014,
];
