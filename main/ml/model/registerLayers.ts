import { tf } from '../backend/tf.js';
import { DilatedConv2D } from './DilatedConv2D.js';

// Saved models name their custom layers; loading needs them registered first (once per process).
tf.serialization.registerClass(DilatedConv2D);
