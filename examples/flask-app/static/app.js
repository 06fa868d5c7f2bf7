// An external script: allowed by the default Content-Security-Policy (script from 'self').
document.documentElement.dataset.externalScript = "loaded";
