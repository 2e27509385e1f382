import { type ReactNode, useRef } from 'react';
import { DATA_CREDITS } from './credits.js';
import './about.css';

/** The app bar's About: what the workstation is, and the credits the training data's licences require. */
export function About(): ReactNode {
  const dialog = useRef<HTMLDialogElement>(null);
  return (
    <>
      <button type="button" onClick={() => dialog.current?.showModal()} data-testid="about-open">
        About
      </button>
      <dialog ref={dialog} className="about" aria-label="About Mammo Workstation" data-testid="about">
        <h2>Mammo Workstation</h2>
        <p>Research software for reading mammograms with an AI second look. Not a medical device.</p>
        <h3>Training data</h3>
        {DATA_CREDITS.map((credit) => (
          <section key={credit.name} data-testid="about-credit">
            <p>
              <strong>{credit.name}</strong>, licensed under{' '}
              <a href={credit.licenceUrl} target="_blank" rel="noreferrer">
                {credit.licence}
              </a>
              . {credit.use}
            </p>
            <ul>
              {credit.citations.map((citation) => (
                <li key={citation}>{citation}</li>
              ))}
            </ul>
          </section>
        ))}
        <form method="dialog">
          <button type="submit">Close</button>
        </form>
      </dialog>
    </>
  );
}
