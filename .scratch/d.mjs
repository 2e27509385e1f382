import dcmjs from 'dcmjs';
console.log(Object.keys(dcmjs), typeof dcmjs.log, dcmjs.log && Object.keys(dcmjs.log).slice(0,20));
console.log(Object.keys(dcmjs.data));
const D = dcmjs.data.DicomMetaDictionary;
for (const k of ['VOILUTFunction','VOILUTSequence','LUTDescriptor','LUTData','LUTExplanation','ModalityLUTSequence','ImageLaterality','ViewPosition','PresentationIntentType','ImagerPixelSpacing','ViewCodeSequence','CodeValue','RescaleType','WindowCenterWidthExplanation','Laterality','BodyPartExamined','NumberOfFrames']) console.log(k, D.nameMap[k]?.tag, D.nameMap[k]?.vr);
